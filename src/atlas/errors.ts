/** Facts about one Atlas run, attached to every error (argv is already password-free). */
export interface AtlasRunFacts {
  readonly argv: readonly string[];
  readonly exitCode: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
}

/** An Atlas invocation that failed. `message` is short; `details` has stdout/stderr. */
export class AtlasError extends Error {
  override readonly name: string = "AtlasError";
  readonly argv: readonly string[];
  readonly exitCode: number | undefined;
  readonly stdout: string;
  readonly stderr: string;

  constructor(message: string, facts: AtlasRunFacts, options?: { cause?: unknown }) {
    super(message, options);
    this.argv = facts.argv;
    this.exitCode = facts.exitCode;
    this.stdout = facts.stdout;
    this.stderr = facts.stderr;
  }

  /** The long form: message, command, exit code and both streams. */
  get details(): string {
    return [
      this.message,
      `command: atlas ${this.argv.join(" ")}`,
      `exit code: ${this.exitCode ?? "none"}`,
      this.stderr.trim() && `stderr: ${this.stderr.trim()}`,
      this.stdout.trim() && `stdout: ${this.stdout.trim().slice(0, 4000)}`,
    ]
      .filter(Boolean)
      .join("\n");
  }
}

/** atlas.sum does not match the directory (a file was edited, added or removed without re-hashing). */
export class ChecksumMismatchError extends AtlasError {
  override readonly name = "ChecksumMismatchError";
}
/** The migration directory has no atlas.sum. */
export class ChecksumMissingError extends AtlasError {
  override readonly name = "ChecksumMissingError";
}
/** Another rollout holds the database's migration lock. */
export class LockHeldError extends AtlasError {
  override readonly name = "LockHeldError";
}
/** The database has objects but no revisions: a baseline (or allow-dirty) is needed. */
export class DirtyDatabaseError extends AtlasError {
  override readonly name = "DirtyDatabaseError";
}
/** The configured baseline version is not a file in the directory. */
export class UnknownBaselineError extends AtlasError {
  override readonly name = "UnknownBaselineError";
}
/** The server is unreachable, the database is missing, or the credentials were refused. */
export class ConnectionError extends AtlasError {
  override readonly name = "ConnectionError";
}
/** Statements already applied from a partly applied file were edited afterwards. */
export class HistoryChangedError extends AtlasError {
  override readonly name = "HistoryChangedError";
}
/** Atlas exited but its output could not be understood. */
export class OutputParseError extends AtlasError {
  override readonly name = "OutputParseError";
}
/** Atlas was stopped after the configured timeout (or the run was aborted). */
export class AtlasTimeoutError extends AtlasError {
  override readonly name = "AtlasTimeoutError";
}

/** A statement failed while applying a file. */
export interface StatementFailure {
  readonly file: string;
  readonly version: string;
  /** 1-based line of the statement in the file (0 when it could not be located). */
  readonly line: number;
  readonly statement: string;
  /** The database's error text. */
  readonly databaseError: string;
  /** Statements of the failed file that are committed (tx mode none), out of `total`. */
  readonly appliedInFile: number;
  readonly totalInFile: number;
}

/**
 * A migration statement failed during `migrate apply`. Files before `failure.file` are applied
 * and recorded (tx mode file/none); what happened to the failed file depends on the tx mode.
 */
export class StatementFailedError extends AtlasError {
  override readonly name = "StatementFailedError";
  readonly failure: StatementFailure;
  readonly appliedFiles: readonly string[];

  constructor(
    message: string,
    facts: AtlasRunFacts,
    failure: StatementFailure,
    appliedFiles: readonly string[],
  ) {
    super(message, facts);
    this.failure = failure;
    this.appliedFiles = appliedFiles;
  }
}

const CLASSIFIERS: readonly [
  RegExp,
  new (message: string, facts: AtlasRunFacts) => AtlasError,
  string,
][] = [
  [
    /checksum mismatch/i,
    ChecksumMismatchError,
    "atlas.sum does not match the migration files. A file was edited, added or removed without re-hashing: never edit an applied migration; for a new one run `npm run db:migrate:hash`.",
  ],
  [
    /checksum file not found/i,
    ChecksumMissingError,
    "The migration directory has no atlas.sum. Create it with `npm run db:migrate:hash` and commit it.",
  ],
  [
    /checksum file format invalid/i,
    ChecksumMismatchError,
    "atlas.sum is malformed (a merge conflict?). Regenerate it with `npm run db:migrate:hash` after resolving the migration files.",
  ],
  [
    /acquiring database lock|lock is held/i,
    LockHeldError,
    "Another rollout holds this database's migration lock. Wait for it to finish (or raise migrations.lockTimeoutSeconds) and run again.",
  ],
  [
    /is not clean|baseline version or allow-dirty is required/i,
    DirtyDatabaseError,
    "The database already has objects but no migration history. Set migrations.baseline to the version it is at, or database.allowDirty for databases with foreign objects (Supabase).",
  ],
  [
    /baseline version.*(not found|does not exist)|unknown baseline|migration with version .* not found/i,
    UnknownBaselineError,
    "migrations.baseline names a version that is not a file in the migration directory. Use the version prefix of an existing file.",
  ],
  [
    /history changed|have been modified|hash mismatch|modified.*applied/i,
    HistoryChangedError,
    "An already-applied statement of a partly applied file was edited. Restore the file's applied statements exactly, then run again.",
  ],
  [
    /password authentication failed|authentication failed|no pg_hba\.conf entry/i,
    ConnectionError,
    "The database refused the credentials. Check the password in the database URL secret.",
  ],
  [
    /connection refused|no such host|i\/o timeout|dial tcp|could not connect|database .* does not exist|network is unreachable/i,
    ConnectionError,
    "Cannot reach the database. Check host, port and database name in the database URL and that the server is running.",
  ],
];

/** Maps an Atlas failure (exit 1, `Error:` on stderr) to the error class callers branch on. */
export function classifyFailure(facts: AtlasRunFacts, context: string): AtlasError {
  const text = `${facts.stderr}\n${facts.stdout}`;
  const atlasMessage = (/Error:\s*(.+)/.exec(facts.stderr)?.[1] ?? facts.stderr.trim()).trim();
  for (const [pattern, ErrorClass, advice] of CLASSIFIERS) {
    if (pattern.test(text)) {
      return new ErrorClass(`${context}: ${atlasMessage}\n${advice}`, facts);
    }
  }
  return new AtlasError(
    `${context}: ${atlasMessage || `atlas exited with code ${facts.exitCode}`}`,
    facts,
  );
}

import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";

/**
 * Runs the pinned `drizzle-kit export` and checks that what it printed is SQL and nothing else.
 * @see https://orm.drizzle.team/docs/drizzle-kit-export
 */

export interface DrizzleExportParams {
  /** Path of the drizzle config file (`drizzle.config.ts`), absolute or relative to `cwd`. */
  readonly config: string;
  /** Folder a relative `config` resolves against (default: the current directory). */
  readonly cwd?: string;
  /** Milliseconds before drizzle-kit is stopped (default 2 minutes). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** A successful export. */
export interface DrizzleExport {
  /** The DDL, statements separated by newlines, ending with a newline. */
  readonly sql: string;
  readonly statements: number;
  /** What schema modules printed while loading (redirected to stderr), for display only. */
  readonly consoleOutput: string;
}

/** Why an export was refused. */
export type DrizzleExportFailure =
  | "config-not-found"
  | "failed" // drizzle-kit exited non-zero
  | "empty" // exit 0 without SQL: a schema module threw, or it exports nothing
  | "not-sql" // stdout has lines that are not DDL (console output of a schema module)
  | "stopped"; // timeout or abort

/** `drizzle-kit export` failed or printed something that is not a usable desired state. */
export class DrizzleExportError extends Error {
  override readonly name = "DrizzleExportError";
  readonly reason: DrizzleExportFailure;
  /** The config file as given. */
  readonly config: string;
  readonly exitCode: number | undefined;
  readonly stdout: string;
  readonly stderr: string;

  constructor(
    message: string,
    facts: {
      reason: DrizzleExportFailure;
      config: string;
      exitCode?: number | undefined;
      stdout?: string;
      stderr?: string;
    },
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.reason = facts.reason;
    this.config = facts.config;
    this.exitCode = facts.exitCode;
    this.stdout = facts.stdout ?? "";
    this.stderr = facts.stderr ?? "";
  }

  /** The long form: message plus both streams. */
  get details(): string {
    return [
      this.message,
      `exit code: ${this.exitCode ?? "none"}`,
      this.stderr.trim() && `stderr:\n${this.stderr.trim()}`,
      this.stdout.trim() && `stdout:\n${this.stdout.trim().slice(0, 4000)}`,
    ]
      .filter(Boolean)
      .join("\n");
  }
}

const require = createRequire(import.meta.url);

/** Path of the pinned drizzle-kit's CLI entry point. */
export function drizzleKitBin(): string {
  return join(dirname(require.resolve("drizzle-kit")), "bin.cjs");
}

/** Preload that sends console output of schema modules to stderr while they load. */
export const STDOUT_GUARD = fileURLToPath(new URL("./stdout-guard.cjs", import.meta.url));

/** Node arguments of one export (pure). */
export function drizzleExportArgs(bin: string, config: string): string[] {
  return ["--require", STDOUT_GUARD, bin, "export", "--config", config];
}

/** A line of drizzle-kit's stdout that does not belong to a DDL statement. */
export interface StrayLine {
  /** 1-based line number in stdout. */
  readonly line: number;
  readonly text: string;
}

// What `drizzle-kit export --dialect postgresql` starts statements with.
const STATEMENT_START = /^(CREATE|ALTER|COMMENT ON|DO|GRANT|REVOKE)\s/;

/** Splits drizzle-kit's stdout into statements and lines that are not SQL (pure). */
export function splitExportOutput(stdout: string): {
  statements: string[];
  strays: StrayLine[];
} {
  const statements: string[] = [];
  const strays: StrayLine[] = [];
  let current: string[] | undefined;
  let currentStart = 0;
  let inDollarQuote = false;
  const lines = stdout.split("\n");
  lines.forEach((text, index) => {
    if (current === undefined) {
      if (text.trim() === "") return;
      if (!STATEMENT_START.test(text)) {
        strays.push({ line: index + 1, text });
        return;
      }
      current = [];
      currentStart = index + 1;
    }
    current.push(text);
    // `DO $$ … $$;` blocks contain semicolons of their own.
    if ((text.match(/\$\$/g)?.length ?? 0) % 2 === 1) inDollarQuote = !inDollarQuote;
    if (!inDollarQuote && /;\s*$/.test(text)) {
      statements.push(current.join("\n"));
      current = undefined;
    }
  });
  if (current !== undefined) {
    strays.push({
      line: currentStart,
      text: `${current[0] ?? ""} (statement never ends with ";")`,
    });
  }
  return { statements, strays };
}

/**
 * First line of a thrown error and the frame in the user's code (from drizzle-kit's stderr),
 * with the file relative to `base`.
 */
function summarizeThrow(stderr: string, base: string): string {
  const lines = stderr.split("\n").map((line) => line.trimEnd());
  const first = lines.find((line) => line.trim() !== "");
  if (!first) return "";
  const frame = lines
    .map((line) => /^\s+at (?:.*\()?(\/[^():]+):(\d+):(\d+)\)?$/.exec(line))
    .find((match) => match?.[1] && !match[1].includes("/node_modules/"));
  const where = frame ? `\n    at ${relative(base, frame[1] ?? "")}:${frame[2]}:${frame[3]}` : "";
  return `  ${first.trim()}${where}`;
}

/**
 * Runs `drizzle-kit export --config <config>` in the config file's folder with the pinned drizzle-kit under the current Node
 * and returns the DDL. Refuses (throws {@link DrizzleExportError}) a failed export, an empty one
 * (drizzle-kit exits 0 with no output when a schema module throws; planning against an empty
 * desired state would drop every table) and one with stray non-SQL lines.
 */
export async function exportDrizzleSchema(params: DrizzleExportParams): Promise<DrizzleExport> {
  const configPath = resolve(params.cwd ?? process.cwd(), params.config);
  // drizzle-kit resolves the config's `schema` paths against its working directory: run it in
  // the config's folder so that the result does not depend on where the command was started.
  const cwd = dirname(configPath);
  const shown = params.config;
  if (!existsSync(configPath)) {
    throw new DrizzleExportError(
      `Drizzle config ${shown} not found (looked at ${configPath}). Pass --drizzle-config <file> with the path of your drizzle.config.ts.`,
      { reason: "config-not-found", config: shown },
    );
  }
  const result = await execa(process.execPath, drizzleExportArgs(drizzleKitBin(), configPath), {
    cwd,
    reject: false,
    stdin: "ignore",
    timeout: params.timeoutMs ?? 120_000,
    ...(params.signal ? { cancelSignal: params.signal } : {}),
    extendEnv: true,
    env: { NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  const stdout = `${result.stdout ?? ""}`;
  const stderr = `${result.stderr ?? ""}`;
  const facts = { config: shown, exitCode: result.exitCode, stdout, stderr };
  if (result.timedOut || result.isCanceled) {
    throw new DrizzleExportError(
      `drizzle-kit export (${shown}) ${result.timedOut ? "timed out" : "was cancelled"}. A schema module may be waiting on something (a database connection?) while it loads.`,
      { ...facts, reason: "stopped" },
    );
  }
  if (result.exitCode !== 0) {
    const said = [stdout.trim(), stderr.trim()].filter(Boolean).join("\n");
    throw new DrizzleExportError(
      `drizzle-kit export failed for ${shown} (exit code ${result.exitCode ?? "none"}):\n${said
        .split("\n")
        .slice(0, 12)
        .map((line) => `  ${line}`)
        .join("\n")}\nCheck the config's dialect and schema paths (relative to ${cwd}).`,
      { ...facts, reason: "failed" },
    );
  }
  const { statements, strays } = splitExportOutput(stdout);
  if (statements.length === 0) {
    const thrown = summarizeThrow(stderr, params.cwd ?? process.cwd());
    throw new DrizzleExportError(
      thrown
        ? `drizzle-kit export printed no SQL for ${shown}: a schema module threw while loading.\n${thrown}\nFix the module (it must load without a database or secrets), then run again. Refusing an empty desired state: it would drop every table.`
        : `drizzle-kit export printed no SQL for ${shown}: its schema files define no tables, enums or schemas (are they exported?). Refusing an empty desired state: it would drop every table.`,
      { ...facts, reason: "empty" },
    );
  }
  if (strays.length > 0) {
    const listed = strays
      .slice(0, 5)
      .map((stray) => `  line ${stray.line}: ${stray.text.slice(0, 120)}`)
      .join("\n");
    const more = strays.length > 5 ? `\n  … and ${strays.length - 5} more` : "";
    throw new DrizzleExportError(
      `drizzle-kit export for ${shown} printed ${strays.length} line(s) that are not SQL:\n${listed}${more}\nA schema module writes to stdout after it has loaded (console.log in a timer or promise?). Remove it or log with console.error, then run again.`,
      { ...facts, reason: "not-sql" },
    );
  }
  return {
    sql: `${stdout.trim()}\n`,
    statements: statements.length,
    consoleOutput: stderr,
  };
}

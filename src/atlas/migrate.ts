import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type AtlasContext, CONFIG_ENV, runAtlas } from "./client.ts";
import { credentialsOf, dirUrl, type Endpoint, endpoint } from "./endpoint.ts";
import {
  AtlasError,
  type AtlasRunFacts,
  classifyFailure,
  OutputParseError,
  StatementFailedError,
} from "./errors.ts";
import { applySchema, lintSchema, parseJsonStream, statusSchema } from "./json.ts";

const JSON_FORMAT = ["--format", "{{ json . }}"];

/** A migration file as Atlas names it. */
export interface MigrationFileRef {
  readonly name: string;
  readonly version: string;
  readonly description: string;
}

/** One row of the revisions table. */
export interface Revision {
  readonly version: string;
  readonly description: string;
  /** "applied", "baseline", "manually set", … */
  readonly type: string;
  readonly appliedStatements: number;
  readonly totalStatements: number;
  readonly executedAt: string | undefined;
  readonly executionTimeMs: number;
  readonly error: string | undefined;
  readonly errorStatement: string | undefined;
}

export interface MigrationStatus {
  readonly available: readonly MigrationFileRef[];
  readonly pending: readonly MigrationFileRef[];
  readonly applied: readonly Revision[];
  /** Current version, or null when nothing is applied. */
  readonly current: string | null;
  readonly status: "OK" | "PENDING";
}

export interface MigrateStatusParams {
  readonly url: string;
  readonly dir: string;
  readonly revisionsSchema?: string;
}

export interface MigrateApplyParams {
  readonly url: string;
  readonly dir: string;
  readonly revisionsSchema?: string;
  /** Version to record as already present when the revisions table is empty. */
  readonly baseline?: string;
  readonly allowDirty?: boolean;
  readonly txMode?: "file" | "all" | "none";
  readonly lockTimeoutSeconds?: number;
}

export interface AppliedFile extends MigrationFileRef {
  readonly durationMs: number;
  /** Statements executed in this run. */
  readonly statements: number;
  /** Statements skipped because an earlier, partly failed run had applied them. */
  readonly skipped: number;
}

export interface ApplyResult {
  readonly applied: readonly AppliedFile[];
  readonly current: string | null;
  readonly target: string | null;
}

export interface MigrateLintParams {
  readonly devUrl: string;
  readonly dir: string;
  /** Lint the latest N files (the pending ones). */
  readonly latest: number;
}

export interface LintDiagnostic {
  /** Byte offset into the file. */
  readonly pos: number;
  readonly line: number;
  readonly code: string;
  readonly message: string;
  /** Text of the report that grouped it ("destructive changes detected", …). */
  readonly report: string;
}

export interface LintedFile {
  readonly name: string;
  readonly text: string;
  readonly diagnostics: readonly LintDiagnostic[];
  /** Set when Atlas could not replay or analyze the file. */
  readonly error: string | undefined;
}

export interface MigrateDiffParams {
  readonly name: string;
  readonly dir: string;
  /** Desired state URLs (`file://desired.sql`, a database URL, …). */
  readonly to: readonly string[];
  readonly devUrl: string;
  readonly schemas?: readonly string[];
}

function dirArgs(dir: string, cwd: string) {
  return ["--dir", dirUrl(dir, cwd)];
}

/** argv of `migrate status` (pure). */
export function migrateStatusArgs(
  url: Endpoint,
  params: MigrateStatusParams,
  cwd: string,
): string[] {
  return [
    "migrate",
    "status",
    "--url",
    url.arg,
    ...dirArgs(params.dir, cwd),
    ...(params.revisionsSchema ? ["--revisions-schema", params.revisionsSchema] : []),
    ...JSON_FORMAT,
  ];
}

/** argv of `migrate apply` (pure). */
export function migrateApplyArgs(url: Endpoint, params: MigrateApplyParams, cwd: string): string[] {
  return [
    "migrate",
    "apply",
    "--url",
    url.arg,
    ...dirArgs(params.dir, cwd),
    ...(params.revisionsSchema ? ["--revisions-schema", params.revisionsSchema] : []),
    ...(params.baseline ? ["--baseline", params.baseline] : []),
    ...(params.allowDirty ? ["--allow-dirty"] : []),
    "--tx-mode",
    params.txMode ?? "file",
    "--lock-timeout",
    `${params.lockTimeoutSeconds ?? 10}s`,
    ...JSON_FORMAT,
  ];
}

/** argv of `migrate lint` (pure); analyzer settings come from {@link LINT_CONFIG}. */
export function migrateLintArgs(dev: Endpoint, params: MigrateLintParams, cwd: string): string[] {
  return [
    "migrate",
    "lint",
    "--dev-url",
    dev.arg,
    ...dirArgs(params.dir, cwd),
    "--latest",
    String(params.latest),
    ...JSON_FORMAT,
  ];
}

/** argv of `migrate diff` (pure). */
export function migrateDiffArgs(
  to: readonly Endpoint[],
  dev: Endpoint,
  params: MigrateDiffParams,
  cwd: string,
): string[] {
  return [
    "migrate",
    "diff",
    params.name,
    ...to.flatMap((item) => ["--to", item.arg]),
    "--dev-url",
    dev.arg,
    ...dirArgs(params.dir, cwd),
    ...(params.schemas ?? []).flatMap((schema) => ["--schema", schema]),
  ];
}

/**
 * Lint configuration: every analyzer reports, none fails the command. Findings are data; the
 * policy pack decides what blocks (per stack), so Atlas's exit code means "could not lint".
 * @see https://atlasgo.io/lint/analyzers
 */
export const LINT_CONFIG = `lint {
  destructive { error = false }
  data_depend { error = false }
  incompatible { error = false }
  condrop { error = false }
  concurrent_index { error = false }
}
env "${CONFIG_ENV}" {}
`;

function single<T>(
  facts: AtlasRunFacts,
  schema: {
    safeParse(value: unknown): { success: true; data: T } | { success: false; error: Error };
  },
  what: string,
): T {
  let documents: unknown[];
  try {
    documents = parseJsonStream(facts.stdout);
  } catch (cause) {
    throw new OutputParseError(`${what}: Atlas printed malformed JSON`, facts, { cause });
  }
  const document = documents[0];
  if (document === undefined) throw new OutputParseError(`${what}: Atlas printed no JSON`, facts);
  const parsed = schema.safeParse(document);
  if (!parsed.success) {
    throw new OutputParseError(
      `${what}: unexpected JSON from Atlas (${parsed.error.message})`,
      facts,
    );
  }
  return parsed.data;
}

/** 1-based line of a byte offset in a UTF-8 text. */
export function lineAt(text: string, byteOffset: number): number {
  const prefix = Buffer.from(text, "utf8").subarray(0, byteOffset).toString("utf8");
  return prefix.split("\n").length;
}

/** 1-based line where `statement` starts in the file, or 0. */
export function lineOfStatement(fileText: string, statement: string): number {
  const index = fileText.indexOf(statement.trim());
  return index < 0 ? 0 : fileText.slice(0, index).split("\n").length;
}

const NO_VERSION = /^(No migration applied yet|Already at latest version)$/;

/** Reads the target's revision state without writing to it. */
export async function migrateStatus(
  context: AtlasContext,
  params: MigrateStatusParams,
): Promise<MigrationStatus> {
  const url = endpoint(params.url, "database url");
  const facts = await runAtlas(context, migrateStatusArgs(url, params, context.cwd), {
    credentials: credentialsOf(url),
  });
  if (facts.exitCode !== 0) throw classifyFailure(facts, "migrate status");
  const raw = single(facts, statusSchema, "migrate status");
  const ref = (file: { Name: string; Version: string; Description: string }) => ({
    name: file.Name,
    version: file.Version,
    description: file.Description,
  });
  return {
    available: (raw.Available ?? []).map(ref),
    pending: (raw.Pending ?? []).map(ref),
    applied: (raw.Applied ?? []).map((revision) => ({
      version: revision.Version,
      description: revision.Description,
      type: revision.Type,
      appliedStatements: revision.Applied,
      totalStatements: revision.Total,
      executedAt: revision.ExecutedAt,
      executionTimeMs: Math.round((revision.ExecutionTime ?? 0) / 1e6),
      error: revision.Error || undefined,
      errorStatement: revision.ErrorStmt || undefined,
    })),
    current: raw.Current && !NO_VERSION.test(raw.Current) ? raw.Current : null,
    status: raw.Status === "OK" ? "OK" : "PENDING",
  };
}

/**
 * Applies pending files. A statement failure resolves as a {@link StatementFailedError} naming
 * file, line, statement and database error; failures before execution are classified errors.
 */
export async function migrateApply(
  context: AtlasContext,
  params: MigrateApplyParams,
): Promise<ApplyResult> {
  const url = endpoint(params.url, "database url");
  const facts = await runAtlas(context, migrateApplyArgs(url, params, context.cwd), {
    credentials: credentialsOf(url),
  });
  if (facts.exitCode !== 0 && !facts.stdout.trim()) throw classifyFailure(facts, "migrate apply");
  if (facts.exitCode === 0 && !facts.stdout.trim()) {
    return { applied: [], current: null, target: null }; // nothing to apply
  }
  const raw = single(facts, applySchema, "migrate apply");
  const applied: AppliedFile[] = [];
  for (const file of raw.Applied ?? []) {
    const durationMs =
      file.Start && file.End ? Math.max(0, Date.parse(file.End) - Date.parse(file.Start)) : 0;
    if (file.Error) {
      const fileText = readFileSync(
        join(params.dir.startsWith("/") ? "" : context.cwd, params.dir, file.Name),
        "utf8",
      );
      const attempted = file.Applied?.length ?? 0;
      const skipped = file.Skipped ?? 0;
      const txMode = /^\s*--\s*atlas:txmode\s+none/m.test(fileText)
        ? "none"
        : (params.txMode ?? "file");
      const statementCount = countStatements(fileText);
      const committed = txMode === "none" ? skipped + Math.max(0, attempted - 1) : 0;
      const failure = {
        file: file.Name,
        version: file.Version,
        line: lineOfStatement(fileText, file.Error.Stmt),
        statement: file.Error.Stmt.trim(),
        databaseError: file.Error.Text,
        appliedInFile: committed,
        totalInFile: statementCount,
      };
      const kept = txMode === "all" ? [] : applied.map((item) => item.name);
      const where = `${file.Name}${failure.line ? `:${failure.line}` : ""}`;
      const state =
        txMode === "none"
          ? `${committed} of ${statementCount} statements of this file are applied; the next rollout resumes after them.`
          : txMode === "all"
            ? "The whole run was rolled back; nothing was applied."
            : "The file was rolled back; earlier files stay applied.";
      throw new StatementFailedError(
        `Migration ${where} failed: ${failure.databaseError}\n  statement: ${failure.statement}\n  ${state}\n  Fix the file (and its atlas.sum), then run the rollout again.`,
        facts,
        failure,
        kept,
      );
    }
    applied.push({
      name: file.Name,
      version: file.Version,
      description: file.Description,
      durationMs,
      statements: file.Applied?.length ?? 0,
      skipped: file.Skipped ?? 0,
    });
  }
  if (facts.exitCode !== 0) {
    throw new AtlasError(`migrate apply: ${raw.Error ?? "failed"}`, facts);
  }
  return { applied, current: raw.Current ?? null, target: raw.Target ?? null };
}

/** Rough statement count of a file (for messages only; Atlas's own split is authoritative). */
export function countStatements(text: string): number {
  return text
    .split("\n")
    .filter((line) => !/^\s*--/.test(line))
    .join("\n")
    .split(/;\s*(?:\n|$)/)
    .filter((part) => part.trim().length > 0).length;
}

/** Lints the latest N files on a dev database; every analyzer reports, none fails. */
export async function migrateLint(
  context: AtlasContext,
  params: MigrateLintParams,
): Promise<LintedFile[]> {
  const dev = endpoint(params.devUrl, "dev database url");
  const facts = await runAtlas(context, migrateLintArgs(dev, params, context.cwd), {
    credentials: credentialsOf(dev),
    config: LINT_CONFIG,
  });
  if (facts.exitCode !== 0 && !facts.stdout.trim()) throw classifyFailure(facts, "migrate lint");
  const raw = single(facts, lintSchema, "migrate lint");
  return (raw.Files ?? []).map((file) => ({
    name: file.Name,
    text: file.Text,
    error: file.Error || undefined,
    diagnostics: (file.Reports ?? []).flatMap((report) =>
      (report.Diagnostics ?? []).map((diagnostic) => ({
        pos: diagnostic.Pos,
        line: lineAt(file.Text, diagnostic.Pos),
        code: diagnostic.Code,
        message: diagnostic.Text,
        report: report.Text,
      })),
    ),
  }));
}

/** Checks atlas.sum against the files (throws a classified error when it does not match). */
export async function migrateValidate(
  context: AtlasContext,
  params: { readonly dir: string; readonly devUrl: string },
): Promise<void> {
  const dev = endpoint(params.devUrl, "dev database url");
  const argv = ["migrate", "validate", "--dev-url", dev.arg, ...dirArgs(params.dir, context.cwd)];
  const facts = await runAtlas(context, argv, { credentials: credentialsOf(dev) });
  if (facts.exitCode !== 0) throw classifyFailure(facts, "migrate validate");
}

/** Rewrites atlas.sum for the directory. */
export async function migrateHash(
  context: AtlasContext,
  params: { readonly dir: string },
): Promise<void> {
  const argv = ["migrate", "hash", ...dirArgs(params.dir, context.cwd)];
  const facts = await runAtlas(context, argv, { credentials: [] });
  if (facts.exitCode !== 0) throw classifyFailure(facts, "migrate hash");
}

/** Plans a new migration file from the desired state; returns Atlas's message. */
export async function migrateDiff(
  context: AtlasContext,
  params: MigrateDiffParams,
): Promise<string> {
  const dev = endpoint(params.devUrl, "dev database url");
  const to = params.to.map((value) => endpoint(value, "desired state url"));
  const facts = await runAtlas(context, migrateDiffArgs(to, dev, params, context.cwd), {
    credentials: credentialsOf(dev, ...to),
  });
  if (facts.exitCode !== 0) throw classifyFailure(facts, "migrate diff");
  return facts.stdout.trim();
}

/** Prints Atlas's version line. */
export async function atlasVersion(context: AtlasContext): Promise<string> {
  const facts = await runAtlas(context, ["version"], { credentials: [] });
  if (facts.exitCode !== 0) throw classifyFailure(facts, "atlas version");
  return facts.stdout.split("\n")[0]?.trim() ?? "";
}

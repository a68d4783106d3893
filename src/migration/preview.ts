import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  type AtlasContext,
  LINT_CONFIG,
  type LintedFile,
  type MigrationStatus,
  migrateLint,
  migrateStatus,
  schemaDiff,
} from "../atlas/index.ts";
import { sumEntries } from "../atlas/sum.ts";
import { createDevDatabase } from "../db/dev-database.ts";
import { redact } from "../db/url.ts";
import { cacheRoot } from "../toolchain/ensure.ts";
import {
  type MigrationDirectory,
  type MigrationFile,
  readMigrationDirectory,
} from "./directory.ts";
import { findForeignObject } from "./dirty.ts";
import type { MigrationInputs } from "./inputs.ts";
import type {
  Analyzer,
  DriftReport,
  LintFinding,
  LintReport,
  MigrationPlan,
  PartialFile,
  PendingFile,
  Waiver,
} from "./plan.ts";
import { statementAt } from "./statements.ts";

/** A reason the preview cannot produce a safe plan, tied to the input it concerns. */
export interface PlanFailure {
  readonly property: string;
  readonly reason: string;
}

export interface PlanResult {
  readonly plan: MigrationPlan | undefined;
  readonly failures: readonly PlanFailure[];
}

const ANALYZERS: Readonly<Record<string, Analyzer>> = {
  DS: "destructive",
  MF: "data_depend",
  BC: "incompatible",
  CD: "condrop",
  PG: "concurrent_index",
};

/** Creates a scratch dev database (with the configured extensions) for the duration of `work`. */
export async function withDevDatabase<T>(
  inputs: MigrationInputs,
  prefix: string,
  work: (url: string) => Promise<T>,
): Promise<T> {
  const scratch = await createDevDatabase(inputs.devDatabaseUrl, inputs.devExtensions, prefix);
  try {
    return await work(scratch.url);
  } finally {
    await scratch.drop();
  }
}

function findingsOf(
  linted: readonly LintedFile[],
  files: ReadonlyMap<string, MigrationFile>,
  waivers: readonly Waiver[],
): LintFinding[] {
  return linted.flatMap((lintedFile) => {
    const file = files.get(lintedFile.name);
    return lintedFile.diagnostics.map((diagnostic): LintFinding => {
      const charOffset = file
        ? file.bytes.subarray(0, diagnostic.pos).toString("utf8").length
        : diagnostic.pos;
      const statement = file ? statementAt(file.statements, charOffset) : undefined;
      const waiver = file
        ? waivers.find(
            (item) =>
              item.file === file.name &&
              item.sha256 === file.sha256 &&
              (!item.codes?.length || item.codes.includes(diagnostic.code)),
          )
        : undefined;
      return {
        file: lintedFile.name,
        line: statement?.line ?? diagnostic.line,
        code: diagnostic.code,
        analyzer: ANALYZERS[diagnostic.code.slice(0, 2)] ?? "other",
        message: diagnostic.message,
        statement: (statement?.text ?? "").slice(0, 500),
        ...(waiver ? { waivedBy: { reason: waiver.reason, approvedBy: waiver.approvedBy } } : {}),
      };
    });
  });
}

/** Lint results per file, in memory and under `<cache>/lint/` (shared across processes). */
const lintMemory = new Map<string, LintedFile>();

function readCachedLint(key: string): LintedFile | undefined {
  const inMemory = lintMemory.get(key);
  if (inMemory) return inMemory;
  const file = join(cacheRoot(), "lint", `${key}.json`);
  if (!existsSync(file)) return undefined;
  try {
    const stored = JSON.parse(readFileSync(file, "utf8")) as LintedFile;
    lintMemory.set(key, stored);
    return stored;
  } catch {
    return undefined; // a torn write: lint again
  }
}

/**
 * Lints the pending files (a tail of the directory), reusing earlier results. A file's result is
 * keyed by its atlas.sum entry, which hashes the file and every file before it: exactly what
 * Atlas's analysis of it depends on (the earlier files are its base), plus the lint settings.
 * Only the pending files from the first uncached one onwards are linted, in one Atlas run.
 */
async function lintPending(
  context: AtlasContext,
  inputs: MigrationInputs,
  directory: MigrationDirectory,
  pendingFiles: readonly MigrationFile[],
): Promise<LintedFile[]> {
  const entries = sumEntries(directory.files);
  const keyOf = (file: MigrationFile) =>
    createHash("sha256")
      .update(LINT_CONFIG)
      .update(context.atlasPath)
      .update(JSON.stringify(inputs.devExtensions))
      .update(entries.get(file.name) ?? file.sha256)
      .digest("hex");
  const cached = pendingFiles.map((file) => readCachedLint(keyOf(file)));
  const firstMissing = cached.indexOf(undefined);
  if (firstMissing < 0) return cached as LintedFile[];
  const toLint = pendingFiles.slice(firstMissing);
  const linted = await withDevDatabase(inputs, "atlas_lint", (devUrl) =>
    migrateLint(context, { devUrl, dir: directory.path, latest: toLint.length }),
  );
  // Atlas lists only files with reports; the others were linted and found clean.
  const results = toLint.map(
    (file): LintedFile =>
      linted.find((item) => item.name === file.name) ?? {
        name: file.name,
        text: file.text,
        diagnostics: [],
        error: undefined,
      },
  );
  // A run that could not replay a file is not cached: the next preview tries again.
  if (!linted.some((item) => item.error)) {
    mkdirSync(join(cacheRoot(), "lint"), { recursive: true });
    toLint.forEach((file, index) => {
      const key = keyOf(file);
      const result = results[index] as LintedFile;
      lintMemory.set(key, result);
      const target = join(cacheRoot(), "lint", `${key}.json`);
      writeFileSync(`${target}.${process.pid}.tmp`, JSON.stringify(result));
      renameSync(`${target}.${process.pid}.tmp`, target);
    });
    return [...(cached.slice(0, firstMissing) as LintedFile[]), ...results];
  }
  return [...(cached.slice(0, firstMissing) as LintedFile[]), ...linted];
}

async function checkDrift(
  context: AtlasContext,
  inputs: MigrationInputs,
  directory: MigrationDirectory,
  current: string,
): Promise<DriftReport> {
  try {
    const diff = await withDevDatabase(inputs, "atlas_drift", (devUrl) =>
      schemaDiff(context, {
        from: inputs.databaseUrl,
        to: `file://${directory.path}?version=${current}`,
        devUrl,
        schemas: inputs.schemas,
        exclude: inputs.schemas.length > 0 ? [] : [inputs.revisionsSchema],
      }),
    );
    return diff ? { status: "drifted", diff } : { status: "none" };
  } catch (error) {
    return { status: "failed", reason: messageOf(error, inputs) };
  }
}

function messageOf(error: unknown, inputs: MigrationInputs): string {
  const text = error instanceof Error ? error.message : String(error);
  return redact(text, [passwordOf(inputs.databaseUrl), passwordOf(inputs.devDatabaseUrl)]);
}

function passwordOf(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

function partialOf(status: MigrationStatus): PartialFile | null {
  // Only applied < total means partial: after a successful resume Atlas (v0.13.1) keeps the old
  // error text in the row although every statement has run.
  const row = status.applied.find(
    (revision) => revision.appliedStatements < revision.totalStatements,
  );
  if (!row) return null;
  return {
    version: row.version,
    applied: row.appliedStatements,
    total: row.totalStatements,
    error: row.error ?? "",
    errorStatement: row.errorStatement ?? "",
  };
}

/**
 * Computes the migration plan without writing to the target: pending files and their
 * statements, lint findings for exactly those files (on a scratch dev database), atlas.sum
 * integrity, out-of-order files, the baseline's effect and drift of the live schema.
 */
export async function computePlan(
  context: AtlasContext,
  inputs: MigrationInputs,
): Promise<PlanResult> {
  const failures: PlanFailure[] = [];
  let directory: MigrationDirectory;
  try {
    directory = readMigrationDirectory(inputs.migrationsDir);
  } catch (error) {
    return {
      plan: undefined,
      failures: [{ property: "migrationsDir", reason: messageOf(error, inputs) }],
    };
  }
  if (directory.integrity.status !== "valid") {
    failures.push({
      property: "migrationsDir",
      reason: directory.integrity.message ?? "atlas.sum is invalid",
    });
    return { plan: undefined, failures };
  }
  const byVersion = new Map(directory.files.map((file) => [file.version, file]));
  const byName = new Map(directory.files.map((file) => [file.name, file]));
  if (inputs.baseline && !byVersion.has(inputs.baseline)) {
    failures.push({
      property: "baseline",
      reason: `migrations.baseline ${inputs.baseline} is not a file in ${inputs.migrationsDir}. Use the version prefix of an existing file (the last one already present in the database).`,
    });
    return { plan: undefined, failures };
  }

  let status: MigrationStatus;
  try {
    status = await migrateStatus(context, {
      url: inputs.databaseUrl,
      dir: directory.path,
      revisionsSchema: inputs.revisionsSchema,
    });
  } catch (error) {
    const reason = messageOf(error, inputs);
    return { plan: undefined, failures: [{ property: "databaseUrl", reason }] };
  }

  const appliedVersions = new Set(status.applied.map((revision) => revision.version));
  const baselineRow = status.applied.find((revision) => revision.type.includes("baseline"));
  const willBaseline = Boolean(inputs.baseline) && status.applied.length === 0;
  if (status.applied.length === 0 && !inputs.baseline && !inputs.allowDirty) {
    try {
      const found = await findForeignObject(
        inputs.databaseUrl,
        inputs.schemas,
        inputs.revisionsSchema,
      );
      if (found) {
        failures.push({
          property: "baseline",
          reason: `The database is not clean: found ${found}, but it has no migration history. Set migrations.baseline to the version it already has (the last migration whose objects exist), or database.allowDirty: true if these objects are not managed by the migrations (Supabase's schemas, extensions).`,
        });
      }
    } catch (error) {
      failures.push({ property: "databaseUrl", reason: messageOf(error, inputs) });
    }
  }

  const current = status.current;
  const baselineVersion = willBaseline ? inputs.baseline : baselineRow?.version;
  const covered = (version: string) =>
    appliedVersions.has(version) || (baselineVersion !== undefined && version <= baselineVersion);
  const outOfOrder = current
    ? directory.files
        .filter((file) => file.version < current && !covered(file.version))
        .map((file) => file.name)
    : [];
  if (outOfOrder.length > 0) {
    failures.push({
      property: "migrationsDir",
      reason: `Out-of-order migration file(s) older than the database's current version ${current}: ${outOfOrder.join(", ")}. Atlas would skip them silently. Rename each to a version after ${current} (the branch was probably merged after newer migrations ran), then run \`npm run db:migrate:hash\`.`,
    });
  }

  const partial = partialOf(status);
  const pendingFiles = directory.files.filter(
    (file) =>
      (!covered(file.version) || partial?.version === file.version) &&
      (current === null || file.version > current || partial?.version === file.version),
  );
  const pending: PendingFile[] = pendingFiles.map((file) => ({
    name: file.name,
    version: file.version,
    description: file.description,
    sha256: file.sha256,
    statements: file.statements.map((statement) => statement.text),
    txMode: file.txModeOverride ?? inputs.txMode,
    alreadyApplied: partial?.version === file.version ? partial.applied : 0,
  }));

  let lint: LintReport = { status: "skipped", reason: "nothing pending", findings: [] };
  let drift: DriftReport = { status: "skipped", reason: "nothing applied yet" };
  let schemaDrift: DriftReport = { status: "skipped", reason: "no desired state configured" };
  if (failures.length === 0) {
    const lintTask =
      pending.length > 0
        ? lintPending(context, inputs, directory, pendingFiles)
            .then((linted): LintReport => {
              const errors = linted.filter((file) => file.error);
              const findings = findingsOf(
                linted.filter((file) =>
                  pendingFiles.some((pendingFile) => pendingFile.name === file.name),
                ),
                byName,
                inputs.waivers,
              );
              return errors.length > 0
                ? {
                    status: "failed",
                    reason: errors.map((file) => `${file.name}: ${file.error}`).join("\n"),
                    findings,
                  }
                : { status: "ok", findings };
            })
            .catch(
              (error): LintReport => ({
                status: "failed",
                reason: messageOf(error, inputs),
                findings: [],
              }),
            )
        : Promise.resolve(lint);
    const driftTask: Promise<DriftReport> =
      current && !partial
        ? checkDrift(context, inputs, directory, current)
        : Promise.resolve(
            partial
              ? { status: "skipped", reason: `version ${partial.version} is partly applied` }
              : drift,
          );
    const desired = inputs.desiredState;
    const schemaDriftTask: Promise<DriftReport> = desired
      ? withDevDatabase(inputs, "atlas_schema", async (devUrl) => {
          const { checkSchemaDrift } = await import("../drizzle/drift.ts");
          return checkSchemaDrift({
            drizzleConfig: desired.drizzleConfig,
            extraSql: desired.extraSql,
            dir: directory.path,
            devUrl,
            extensions: inputs.devExtensions,
            schemas: inputs.schemas,
            atlasPath: context.atlasPath,
          });
        }).catch((error): DriftReport => ({ status: "failed", reason: messageOf(error, inputs) }))
      : Promise.resolve(schemaDrift);
    [lint, drift, schemaDrift] = await Promise.all([lintTask, driftTask, schemaDriftTask]);
  }

  const plan: MigrationPlan = {
    currentVersion: current,
    targetVersion: pending.at(-1)?.version ?? null,
    baseline: inputs.baseline ? { version: inputs.baseline, willBaseline } : null,
    pending,
    outOfOrder,
    partial,
    integrity: directory.integrity,
    lint,
    drift,
    schemaDrift,
  };
  return { plan, failures };
}

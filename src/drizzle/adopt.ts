/**
 * Decides, for one database, which drizzle-kit migrations really ran, and so the Atlas baseline:
 * detected from the database, never assumed.
 *
 * Evidence, in this order:
 * 1. drizzle's own records (`drizzle.__drizzle_migrations`: hash = SHA-256 of the file,
 *    created_at = the journal's `when`; drizzle-kit 1.x adds `name`), matched to the files;
 * 2. the live schema compared by Atlas with the history replayed on a scratch database — up to
 *    the last recorded migration, then statement by statement through the next ones, to find
 *    exactly how far an unrecorded migration got;
 * 3. each statement's object looked up in the live catalog (this also covers what Atlas does not
 *    inspect: views, functions, triggers, policies, extensions).
 *
 * Nothing is written to the target database.
 */
import type pg from "pg";
import type { AtlasContext } from "../atlas/client.ts";
import { schemaDiff } from "../atlas/schema.ts";
import { createScratchDatabase, type ScratchDatabase } from "../db/scratch.ts";
import type { ConversionPlan, ConvertedMigration } from "./convert.ts";
import {
  catalogClient,
  describeObject,
  objectExists,
  objectOfStatement,
  type StatementObject,
} from "./objects.ts";

/** Outcome of an adoption analysis. */
export type AdoptionStatus = "clean" | "partial" | "skipped-entries" | "conflict" | "fresh";

/** One row of drizzle's migrations table. */
export interface DrizzleRow {
  readonly id: number;
  readonly hash: string;
  /** Milliseconds (`created_at` is a bigint column); null when the row has none. */
  readonly createdAt: number | null;
  /** drizzle-kit 1.x only: the migration folder name. */
  readonly name: string | null;
}

/** What one statement of a migration left in the live database. */
export interface StatementState {
  /** 1-based position in the drizzle file (one per breakpoint chunk). */
  readonly number: number;
  /** First line of the statement, shortened. */
  readonly summary: string;
  /** The object it creates or drops; absent when the statement is not recognised. */
  readonly object?: StatementObject;
  /** `applied`: its effect is in the database; `missing`: it is not; `unchecked`: unknown. */
  readonly state: "applied" | "missing" | "unchecked";
}

export type FindingKind =
  | "no-history"
  | "unknown-row"
  | "edited-after-apply"
  | "skipped-entry"
  | "partial-migration"
  | "unrecorded-migration"
  | "schema-drift"
  | "pending"
  | "drizzle-would-skip"
  | "conversion"
  | "already-adopted";

/** One fact the analysis established, with what to do about it. */
export interface AdoptionFinding {
  readonly kind: FindingKind;
  readonly severity: "error" | "warning" | "info";
  /** drizzle tag of the migration concerned. */
  readonly migration?: string;
  /** Atlas version of that migration. */
  readonly version?: string;
  readonly message: string;
  /** The safe next step, when one is needed. */
  readonly nextStep?: string;
  /** Per-statement evidence for the migration concerned. */
  readonly statements?: readonly StatementState[];
  /** Atlas SQL that would turn the live schema into the replayed history (drift only). */
  readonly diff?: string;
}

/** The decision: `baseline` is set only when `status` is `clean`. */
export interface AdoptionDecision {
  readonly baseline: string | null;
  readonly status: AdoptionStatus;
  readonly findings: readonly AdoptionFinding[];
  /** drizzle tags the database records as applied (hash matches), in history order. */
  readonly recorded: readonly string[];
  /** Atlas files after the baseline that Atlas will apply (clean and fresh only). */
  readonly pending: readonly string[];
}

export interface AdoptionParams {
  /** The database to analyse (read only). */
  readonly url: string;
  /** A server where scratch databases can be created (its own database is not used). */
  readonly devUrl: string;
  /** The converted history (versions and statements). */
  readonly conversion: ConversionPlan;
  /** Schema of drizzle's migrations table (drizzle's `migrationsSchema`, default `drizzle`). */
  readonly migrationsSchema?: string;
  /** drizzle's `migrationsTable` (default `__drizzle_migrations`). */
  readonly migrationsTable?: string;
  /** Schema of Atlas's revisions table, left out of the comparison. */
  readonly revisionsSchema?: string;
  /** Stop the statement-by-statement search after this many statements (default 200). */
  readonly maxReplayStatements?: number;
}

/** The analysis itself failed (not a finding about the database). */
export class AdoptionError extends Error {
  override readonly name = "AdoptionError";
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const sqlString = (value: string) => `'${value.replace(/'/g, "''")}'`;

function summarize(statement: string): string {
  const line =
    statement
      .trim()
      .split("\n")
      .find((text) => text.trim() && !text.trim().startsWith("--")) ?? statement.trim();
  return line.length > 100 ? `${line.slice(0, 97)}...` : line.trim();
}

/** Reads drizzle's migrations table; null when it does not exist. */
export async function readDrizzleRows(
  client: pg.Client,
  schema: string,
  table: string,
): Promise<DrizzleRow[] | null> {
  const columns = await client.query<{ column_name: string }>(
    "SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2",
    [schema, table],
  );
  if (columns.rowCount === 0) return null;
  const names = new Set(columns.rows.map((row) => row.column_name));
  for (const required of ["id", "hash", "created_at"]) {
    if (!names.has(required)) {
      throw new AdoptionError(
        `${schema}.${table} has no column "${required}": it is not a drizzle migrations table. Pass the right --migrations-schema/--migrations-table.`,
      );
    }
  }
  const nameColumn = names.has("name") ? ", name" : ", NULL AS name";
  const result = await client.query<{
    id: number;
    hash: string;
    created_at: string | null;
    name: string | null;
  }>(
    `SELECT id, hash, created_at::text AS created_at${nameColumn} FROM ${quoteIdent(schema)}.${quoteIdent(table)} ORDER BY id`,
  );
  return result.rows.map((row) => ({
    id: Number(row.id),
    hash: row.hash,
    createdAt: row.created_at === null ? null : Number(row.created_at),
    name: row.name,
  }));
}

/** Versions Atlas recorded: its baseline row, and files it applied completely. */
export async function readAtlasRevisions(
  client: pg.Client,
  schema: string,
): Promise<{ baseline: string | undefined; executed: Set<string> }> {
  const exists = await client.query(
    "SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'atlas_schema_revisions'",
    [schema],
  );
  if (exists.rowCount === 0) return { baseline: undefined, executed: new Set() };
  const rows = await client.query<{
    version: string;
    type: number;
    applied: number;
    total: number;
  }>(
    `SELECT version, type, applied, total FROM ${quoteIdent(schema)}.atlas_schema_revisions ORDER BY version`,
  );
  // type is a bit set: 1 baseline, 2 executed, 4 resolved by hand.
  const baseline = rows.rows.filter((row) => (row.type & 1) !== 0).pop()?.version;
  const executed = new Set(
    rows.rows
      .filter((row) => (row.type & 1) === 0 && row.applied === row.total)
      .map((row) => row.version),
  );
  return { baseline, executed };
}

interface RowMatch {
  /** Position in the history → row with the same hash. */
  readonly recorded: Map<number, DrizzleRow>;
  /** Position → row with the same created_at/name but another hash (file edited after it ran). */
  readonly edited: Map<number, DrizzleRow>;
  readonly unknown: DrizzleRow[];
}

const sameSecond = (a: number, b: number) => Math.floor(a / 1000) === Math.floor(b / 1000);

/**
 * Matches rows to migrations: by hash (preferring the same created_at), then — for rows whose
 * hash matches no file — by name (1.x) or created_at, which means the file changed after it ran.
 * drizzle-kit 1.x's upgrade of a 0.x table matches created_at to the second; so does this.
 */
export function matchRows(
  migrations: readonly ConvertedMigration[],
  rows: readonly DrizzleRow[],
): RowMatch {
  const recorded = new Map<number, DrizzleRow>();
  const edited = new Map<number, DrizzleRow>();
  const unknown: DrizzleRow[] = [];
  for (const row of rows) {
    const byHash = migrations.filter(
      (item) =>
        (item.drizzle.hash === row.hash || item.drizzle.hashLf === row.hash) &&
        !recorded.has(item.drizzle.position),
    );
    const hashMatch =
      byHash.find((item) => item.drizzle.createdAt === row.createdAt) ??
      byHash.find((item) => row.name !== null && item.drizzle.tag === row.name) ??
      byHash[0];
    if (hashMatch) {
      recorded.set(hashMatch.drizzle.position, row);
      continue;
    }
    const sameMigration =
      migrations.find((item) => row.name !== null && item.drizzle.tag === row.name) ??
      migrations.find((item) => item.drizzle.createdAt === row.createdAt) ??
      migrations.find(
        (item) =>
          item.drizzle.folderTimestamp !== undefined &&
          row.createdAt !== null &&
          sameSecond(item.drizzle.createdAt, row.createdAt),
      );
    if (sameMigration && !edited.has(sameMigration.drizzle.position)) {
      edited.set(sameMigration.drizzle.position, row);
    } else {
      unknown.push(row);
    }
  }
  // A hash match wins over an "edited" guess for the same migration.
  for (const position of recorded.keys()) edited.delete(position);
  return { recorded, edited, unknown };
}

async function execute(url: string, statements: readonly string[]): Promise<void> {
  const client = await catalogClient(url);
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

async function statementStates(
  client: pg.Client,
  migration: ConvertedMigration,
): Promise<StatementState[]> {
  const states: StatementState[] = [];
  let number = 0;
  for (const chunk of migration.drizzle.chunks) {
    if (!chunk.trim()) continue;
    number++;
    const object = objectOfStatement(chunk);
    const summary = summarize(chunk);
    if (!object) {
      states.push({ number, summary, state: "unchecked" });
      continue;
    }
    const exists = await objectExists(client, object);
    const applied = exists === (object.expect === "present");
    states.push({ number, summary, object, state: applied ? "applied" : "missing" });
  }
  return states;
}

/** `applied: index public.x (statement 3)` lines for a report. */
export function describeStates(states: readonly StatementState[]): string[] {
  return states.map((item) => {
    const what = item.object
      ? `${item.object.expect === "absent" ? "removal of " : ""}${describeObject(item.object)}`
      : `(not checked) ${item.summary}`;
    return `statement ${item.number}: ${item.state.padEnd(9)} ${what}`;
  });
}

function recordSql(
  schema: string,
  table: string,
  migration: ConvertedMigration,
  withName: boolean,
): string {
  const target = `${quoteIdent(schema)}.${quoteIdent(table)}`;
  const { hash, createdAt, tag } = migration.drizzle;
  return withName
    ? `INSERT INTO ${target} ("hash", "created_at", "name") VALUES (${sqlString(hash)}, ${createdAt}, ${sqlString(tag)});`
    : `INSERT INTO ${target} ("hash", "created_at") VALUES (${sqlString(hash)}, ${createdAt});`;
}

/** Where the live schema equals the replayed history: after `statements` of migration `position`. */
interface ReplayMatch {
  readonly position: number;
  readonly statements: number;
}

/**
 * Analyses a database against a converted drizzle-kit history and decides the Atlas baseline.
 * Creates (and drops) two scratch databases on `devUrl`'s server; reads the target only.
 */
export async function analyseAdoption(
  context: AtlasContext,
  params: AdoptionParams,
): Promise<AdoptionDecision> {
  const migrationsSchema = params.migrationsSchema ?? "drizzle";
  const migrationsTable = params.migrationsTable ?? "__drizzle_migrations";
  const migrations = params.conversion.migrations;
  const findings: AdoptionFinding[] = params.conversion.notes
    .filter((note) => note.kind === "version-moved")
    .map((note) => ({
      kind: "conversion" as const,
      severity: "info" as const,
      ...(note.migration ? { migration: note.migration } : {}),
      message: note.message,
    }));

  const live = await catalogClient(params.url);
  let replay: ScratchDatabase | undefined;
  let dev: ScratchDatabase | undefined;
  try {
    const rows = await readDrizzleRows(live, migrationsSchema, migrationsTable);
    const hasNameColumn =
      rows !== null &&
      ((
        await live.query(
          "SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND column_name = 'name'",
          [migrationsSchema, migrationsTable],
        )
      ).rowCount ?? 0) > 0;
    const match = matchRows(migrations, rows ?? []);
    const recordLine = (migration: ConvertedMigration) =>
      recordSql(
        migrationsSchema,
        migrationsTable,
        migration,
        hasNameColumn || params.conversion.layout === "folders",
      );

    for (const row of match.unknown) {
      findings.push({
        kind: "unknown-row",
        severity: "error",
        message: `${migrationsSchema}.${migrationsTable} row id ${row.id} (hash ${row.hash.slice(0, 12)}…, created_at ${row.createdAt ?? "null"}${row.name ? `, name ${row.name}` : ""}) matches no migration in ${params.conversion.source}: the database ran a migration this history does not have.`,
        nextStep:
          "Use the migrations folder that produced this database (another branch? a squashed history?); adoption refuses to guess.",
      });
    }

    // A database Atlas already rolls out to: its revisions count as records too.
    const atlas = await readAtlasRevisions(
      live,
      params.revisionsSchema ?? "atlas_schema_revisions",
    );
    const atlasApplied = new Set(
      migrations
        .filter(
          (item) =>
            !match.recorded.has(item.drizzle.position) &&
            ((atlas.baseline !== undefined && item.version <= atlas.baseline) ||
              atlas.executed.has(item.version)),
        )
        .map((item) => item.drizzle.position),
    );
    if (atlas.baseline !== undefined || atlas.executed.size > 0) {
      findings.push({
        kind: "already-adopted",
        severity: "info",
        message: `Atlas already rolls out to this database${atlas.baseline ? ` (baseline ${atlas.baseline})` : ""}${atlas.executed.size > 0 ? `; applied by Atlas: ${[...atlas.executed].sort().join(", ")}` : ""}. Its revisions count as applied migrations here.`,
      });
    }
    const isApplied = (position: number) =>
      match.recorded.has(position) || match.edited.has(position) || atlasApplied.has(position);

    const touched = [...match.recorded.keys(), ...match.edited.keys(), ...atlasApplied];
    const last = touched.length > 0 ? Math.max(...touched) : -1;
    const newestCreatedAt = Math.max(
      -1,
      ...[...match.recorded.values()].map((row) => row.createdAt ?? -1),
    );

    // The expected schema: every migration the database records, replayed in history order.
    replay = await createScratchDatabase(params.devUrl, "adopt_replay");
    dev = await createScratchDatabase(params.devUrl, "adopt_dev");
    const exclude = excludedPatterns(migrationsSchema, migrationsTable, params.revisionsSchema);
    const compare = () =>
      schemaDiff(context, {
        from: params.url,
        to: (replay as ScratchDatabase).url,
        devUrl: (dev as ScratchDatabase).url,
        exclude,
      });
    for (const migration of migrations.slice(0, last + 1)) {
      if (!isApplied(migration.drizzle.position)) continue;
      try {
        await execute(
          replay.url,
          migration.drizzle.chunks.filter((chunk) => chunk.trim()),
        );
      } catch (cause) {
        throw new AdoptionError(
          `Replaying ${migration.drizzle.file} on a scratch database failed: ${(cause as Error).message}. The scratch server needs what the migrations need (extensions, roles).`,
        );
      }
    }
    const driftAtRecorded = await compare();

    // Statement by statement through the unrecorded migrations, until the schemas are equal.
    let found: ReplayMatch | undefined =
      driftAtRecorded === "" ? { position: last, statements: -1 } : undefined;
    let replayStopped: string | undefined;
    if (!found) {
      let budget = params.maxReplayStatements ?? 200;
      walk: for (const migration of migrations.slice(last + 1)) {
        const statements = migration.drizzle.chunks.filter((chunk) => chunk.trim());
        for (const [index, statement] of statements.entries()) {
          if (budget-- <= 0) {
            replayStopped = `stopped after ${params.maxReplayStatements ?? 200} statements`;
            break walk;
          }
          try {
            await execute(replay.url, [statement]);
          } catch (cause) {
            replayStopped = `statement ${index + 1} of ${migration.drizzle.file} failed on the scratch database (${(cause as Error).message})`;
            break walk;
          }
          if ((await compare()) === "") {
            found = { position: migration.drizzle.position, statements: index + 1 };
            break walk;
          }
        }
      }
    }

    // Per-statement evidence where it matters.
    const statesOf = (migration: ConvertedMigration) => statementStates(live, migration);

    for (const [position, row] of match.edited) {
      const migration = migrations[position] as ConvertedMigration;
      findings.push({
        kind: "edited-after-apply",
        severity: "error",
        migration: migration.drizzle.tag,
        version: migration.version,
        message: `${migration.drizzle.file} changed after it ran: the database recorded hash ${row.hash.slice(0, 12)}… (row id ${row.id}), the file now hashes to ${migration.drizzle.hash.slice(0, 12)}…. What ran may differ from the file.`,
        nextStep: `Restore ${migration.drizzle.file} to the content that ran (its SHA-256 is ${row.hash}; see the file's version control history), then run adoption again. If the edit is intentional, write the change as a new migration instead.`,
        statements: await statesOf(migration),
      });
    }

    const skipped = migrations
      .slice(0, Math.max(0, last))
      .filter((item) => !isApplied(item.drizzle.position));
    for (const migration of skipped) {
      const olderThanNewest = migration.drizzle.createdAt <= newestCreatedAt;
      const states = await statesOf(migration);
      const anyApplied = states.some((item) => item.state === "applied");
      findings.push({
        kind: "skipped-entry",
        severity: "error",
        migration: migration.drizzle.tag,
        version: migration.version,
        message: `${migration.drizzle.file} is not recorded although later migrations are${
          olderThanNewest
            ? `: its created_at ${migration.drizzle.createdAt} is older than the newest recorded row (${newestCreatedAt}), so drizzle's migrator skipped it silently`
            : ""
        }. ${anyApplied ? "Some of its objects exist (applied by hand?)." : "None of its objects exist."}`,
        nextStep: anyApplied
          ? `Compare its statements below with the database; finish the missing ones by hand, then record it with: ${recordLine(migration)} and run adoption again.`
          : `Run its statements by hand (they were written before the later migrations: check they still apply), record it with: ${recordLine(migration)} and run adoption again. A baseline now would make Atlas treat it as applied.`,
        statements: states,
      });
    }

    let partialFound = false;
    if (found && found.position > last) {
      // The live schema equals the history up to statement `found.statements` of `found.position`.
      for (const migration of migrations.slice(last + 1, found.position + 1)) {
        const total = migration.drizzle.chunks.filter((chunk) => chunk.trim()).length;
        const ran = migration.drizzle.position < found.position ? total : found.statements;
        const states = await statesOf(migration);
        partialFound = true;
        if (ran === total) {
          findings.push({
            kind: "unrecorded-migration",
            severity: "error",
            migration: migration.drizzle.tag,
            version: migration.version,
            message: `${migration.drizzle.file} ran completely (the schema matches the history through it) but ${migrationsSchema}.${migrationsTable} has no row for it.`,
            nextStep: `Record it (this is what drizzle's migrator would have written): ${recordLine(migration)} Then run adoption again.`,
            statements: states,
          });
        } else {
          findings.push({
            kind: "partial-migration",
            severity: "error",
            migration: migration.drizzle.tag,
            version: migration.version,
            message: `${migration.drizzle.file} ran partly: statements 1–${ran} of ${total} are in the database (the schema equals the history replayed through statement ${ran}); statements ${ran + 1}–${total} are not, and it is not recorded.`,
            nextStep: `Do not baseline past ${last >= 0 ? (migrations[last] as ConvertedMigration).drizzle.tag : "nothing"}. Either finish it: run statements ${ran + 1}–${total} of ${migration.drizzle.file} by hand, record it with ${recordLine(migration)} and run adoption again; or undo statements 1–${ran} (drop what they created) and run adoption again — the baseline is then the previous migration and Atlas applies this one whole.`,
            statements: states,
          });
        }
      }
    } else if (!found) {
      const next = migrations[last + 1];
      const states = next ? await statesOf(next) : [];
      const nextApplied = states.some((item) => item.state === "applied");
      if (next && nextApplied) {
        partialFound = true;
        findings.push({
          kind: "partial-migration",
          severity: "error",
          migration: next.drizzle.tag,
          version: next.version,
          message: `${next.drizzle.file} is not recorded but some of its objects exist; the live schema matches no point of the history (other changes were made by hand).`,
          nextStep: `Reconcile by hand: finish or undo ${next.drizzle.file} (statements below) and remove the other differences, then run adoption again.`,
          statements: states,
          diff: driftAtRecorded,
        });
      }
      findings.push({
        kind: "schema-drift",
        severity: "error",
        message: `The live schema differs from the history replayed through ${last >= 0 ? (migrations[last] as ConvertedMigration).drizzle.file : "no migration (an empty database)"}${replayStopped ? `, and matches no later point (${replayStopped})` : ", and matches no later point of the history"}.`,
        nextStep:
          "Review the differences (Atlas SQL that would make the database equal to the history); make them go away by hand or with a migration in the drizzle history, then run adoption again.",
        diff: driftAtRecorded,
      });
    } else if (last + 1 < migrations.length) {
      // Schemas equal at the last recorded migration; Atlas-invisible objects may still exist.
      const next = migrations[last + 1] as ConvertedMigration;
      const states = await statesOf(next);
      if (states.some((item) => item.state === "applied" && item.object?.expect === "present")) {
        partialFound = true;
        findings.push({
          kind: "partial-migration",
          severity: "error",
          migration: next.drizzle.tag,
          version: next.version,
          message: `${next.drizzle.file} is not recorded, but objects it creates exist (objects Atlas does not compare, such as views, functions or triggers).`,
          nextStep: `Finish ${next.drizzle.file} by hand and record it with ${recordLine(next)}, or drop what it created; then run adoption again.`,
          statements: states,
        });
      }
    }

    // Unrecorded rows-table but objects: say where the history might be recorded instead.
    if (rows === null) {
      findings.unshift({
        kind: "no-history",
        severity: "info",
        message: `No drizzle migrations table ${migrationsSchema}.${migrationsTable}.${
          driftAtRecorded === "" ? " The database has no schema objects: nothing to baseline." : ""
        }`,
        ...(driftAtRecorded === ""
          ? {}
          : {
              nextStep:
                "If drizzle's migrator used another table here (migrationsSchema/migrationsTable), run adoption with --migrations-schema/--migrations-table.",
            }),
      });
    }

    if (rows !== null && rows.length === 0 && driftAtRecorded === "") {
      findings.unshift({
        kind: "no-history",
        severity: "info",
        message: `${migrationsSchema}.${migrationsTable} exists but is empty and the database has no schema objects (drizzle's migrator creates the table before its transaction, so a failed first run leaves it behind).`,
        nextStep: `Atlas counts that table as existing content ("database is not clean"): drop it (DROP SCHEMA ${quoteIdent(migrationsSchema)} CASCADE) before the first rollout, or set database.allowDirty.`,
      });
    }

    const status: AdoptionStatus =
      match.unknown.length > 0
        ? "conflict"
        : match.edited.size > 0 || partialFound
          ? "partial"
          : skipped.length > 0
            ? "skipped-entries"
            : !found
              ? "conflict"
              : last < 0
                ? "fresh"
                : "clean";
    // Once Atlas has a baseline row, that is the stack's baseline (Atlas ignores any other).
    const baseline =
      status === "clean"
        ? (atlas.baseline ?? (migrations[last] as ConvertedMigration).version)
        : null;
    const pending =
      status === "clean" || status === "fresh"
        ? migrations.slice(last + 1).map((item) => item.file)
        : [];
    if (pending.length > 0) {
      findings.push({
        kind: "pending",
        severity: "info",
        message: `${pending.length} migration(s) not applied yet; Atlas applies them after the baseline: ${pending.join(", ")}`,
      });
      const wouldSkip = migrations
        .slice(last + 1)
        .filter((item) => newestCreatedAt >= 0 && item.drizzle.createdAt <= newestCreatedAt);
      for (const migration of wouldSkip) {
        findings.push({
          kind: "drizzle-would-skip",
          severity: "warning",
          migration: migration.drizzle.tag,
          version: migration.version,
          message: `${migration.drizzle.file} is pending but older (created_at ${migration.drizzle.createdAt}) than the newest recorded row (${newestCreatedAt}): drizzle's migrator would skip it silently; Atlas applies it.`,
        });
      }
    }
    const recorded = migrations
      .filter((item) => match.recorded.has(item.drizzle.position))
      .map((item) => item.drizzle.tag);
    return { baseline, status, findings, recorded, pending };
  } finally {
    await live.end();
    await replay?.drop();
    await dev?.drop();
  }
}

/** Atlas `--exclude` patterns for the bookkeeping tables of drizzle and Atlas. */
export function excludedPatterns(
  migrationsSchema: string,
  migrationsTable: string,
  revisionsSchema = "atlas_schema_revisions",
): string[] {
  const drizzle = migrationsSchema === "public" ? `public.${migrationsTable}` : migrationsSchema;
  return [...new Set([drizzle, revisionsSchema])];
}

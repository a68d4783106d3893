/**
 * Converts a drizzle-kit history into an Atlas migration directory: same order, one Atlas file
 * per drizzle migration, the same statement boundaries, and `atlas.sum` written by Atlas.
 *
 * File names are `<version>_<tag>.sql`. The version is the migration's UTC timestamp
 * (`YYYYMMDDHHMMSS`, from the journal's `when` or the 1.x folder name); a version that would not
 * sort after its predecessor (an out-of-order `when`, two migrations in one second) is moved to
 * one second after it, so that Atlas runs the files in drizzle's order, and the move is reported.
 * @see https://atlasgo.io/versioned/apply
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { AtlasContext } from "../atlas/client.ts";
import { migrateHash } from "../atlas/migrate.ts";
import {
  type DrizzleHistory,
  type DrizzleMigration,
  formatTimestamp,
  STATEMENT_BREAKPOINT,
  timestampMillis,
} from "./history.ts";

/** Name of the file, next to the Atlas files, that maps drizzle migrations to Atlas versions. */
export const MAPPING_FILE = "drizzle-mapping.json";

/** One drizzle migration and the Atlas file made from it. */
export interface ConvertedMigration {
  readonly drizzle: DrizzleMigration;
  /** Atlas version (digits before the first `_`). */
  readonly version: string;
  /** Atlas file name, `<version>_<tag>.sql`. */
  readonly file: string;
  /** The file's text. */
  readonly text: string;
  /** Statements in order, trimmed, one per drizzle chunk (whitespace-only chunks dropped). */
  readonly statements: readonly string[];
  /**
   * True when the file uses `-- atlas:delimiter --> statement-breakpoint` because a chunk is not
   * exactly one statement (several statements, a dollar-quoted body, only a comment): Atlas then
   * sends each chunk as one query, as drizzle's migrator did.
   */
  readonly usesDelimiter: boolean;
}

/** Something the conversion changed or noticed. */
export interface ConversionNote {
  readonly kind: "version-moved" | "ignored" | "delimiter" | "inserted-before-existing";
  readonly migration?: string;
  readonly message: string;
}

/** The planned Atlas directory (pure data; nothing written). */
export interface ConversionPlan {
  readonly layout: DrizzleHistory["layout"];
  readonly source: string;
  readonly migrations: readonly ConvertedMigration[];
  readonly notes: readonly ConversionNote[];
}

/** A written Atlas directory. */
export interface Conversion extends ConversionPlan {
  /** Absolute path of the Atlas migration directory. */
  readonly dir: string;
  /** Atlas files written now (others were already identical). */
  readonly written: readonly string[];
  /** `.sql` files in the directory that do not come from the drizzle history (kept as they are). */
  readonly otherFiles: readonly string[];
}

/** The directory already holds a different file under a name the conversion needs. */
export class ConversionConflictError extends Error {
  override readonly name = "ConversionConflictError";
}

/**
 * Whether `chunk` is exactly one SQL statement ending with its `;`, with nothing Atlas might
 * split differently from PostgreSQL: no dollar quoting, no second top-level `;`.
 */
export function isSingleStatement(chunk: string): boolean {
  let semicolons = 0;
  let lastSemicolon = -1;
  let i = 0;
  let sawCode = false;
  while (i < chunk.length) {
    const ch = chunk[i];
    const next = chunk[i + 1];
    if (ch === "-" && next === "-") {
      const end = chunk.indexOf("\n", i);
      i = end < 0 ? chunk.length : end + 1;
      continue;
    }
    if (ch === "/" && next === "*") {
      const end = chunk.indexOf("*/", i + 2);
      if (end < 0 || chunk.slice(i + 2, end).includes("/*")) return false; // nested comment
      i = end + 2;
      continue;
    }
    if (ch === "'" || ch === '"') {
      // A backslash-escaped quote (E'…') is not handled: treat any backslash as unusual.
      let j = i + 1;
      for (;;) {
        const end = chunk.indexOf(ch, j);
        if (end < 0) return false;
        if (chunk.slice(j, end).includes("\\")) return false;
        if (chunk[end + 1] === ch) {
          j = end + 2;
          continue;
        }
        i = end + 1;
        break;
      }
      sawCode = true;
      continue;
    }
    if (ch === "$" && /^\$[A-Za-z_]*\$/.test(chunk.slice(i))) return false;
    if (ch === ";") {
      semicolons++;
      lastSemicolon = i;
    } else if (!/\s/.test(ch ?? "")) {
      if (semicolons > 0) return false; // code after the terminating `;`
      sawCode = true;
    }
    i++;
  }
  return sawCode && semicolons === 1 && lastSemicolon >= 0;
}

function fileText(statements: readonly string[], usesDelimiter: boolean): string {
  if (!usesDelimiter) return `${statements.join("\n\n")}\n`;
  return `-- atlas:delimiter ${STATEMENT_BREAKPOINT}\n\n${statements.join(`\n${STATEMENT_BREAKPOINT}\n`)}\n`;
}

function naturalVersion(migration: DrizzleMigration): string {
  return migration.folderTimestamp ?? formatTimestamp(migration.createdAt);
}

/** Plans the Atlas directory for a history: names, versions, texts (pure). */
export function planConversion(history: DrizzleHistory): ConversionPlan {
  const notes: ConversionNote[] = history.warnings.map((message) => ({ kind: "ignored", message }));
  const migrations: ConvertedMigration[] = [];
  let previous: ConvertedMigration | undefined;
  for (const migration of history.migrations) {
    let version = naturalVersion(migration);
    if (previous && version <= previous.version) {
      const moved = formatTimestamp((timestampMillis(previous.version) ?? 0) + 1000);
      const why =
        version === previous.version
          ? `has the same second as ${previous.drizzle.tag}`
          : `is older than ${previous.drizzle.tag} (${previous.version})`;
      const source = history.layout === "journal" ? "its journal `when`" : "its folder timestamp";
      notes.push({
        kind: "version-moved",
        migration: migration.tag,
        message: `${migration.tag}: ${source} ${why}; Atlas version ${moved} instead of ${version} keeps drizzle's order`,
      });
      version = moved;
    }
    const statements = migration.chunks.map((chunk) => chunk.trim()).filter(Boolean);
    const usesDelimiter = !statements.every(isSingleStatement);
    if (usesDelimiter) {
      notes.push({
        kind: "delimiter",
        migration: migration.tag,
        message: `${migration.tag}: a chunk between breakpoints is not exactly one plain statement; the Atlas file keeps drizzle's chunks with -- atlas:delimiter`,
      });
    }
    const converted: ConvertedMigration = {
      drizzle: migration,
      version,
      file: `${version}_${history.layout === "journal" ? migration.tag : migration.name}.sql`,
      text: fileText(statements, usesDelimiter),
      statements,
      usesDelimiter,
    };
    migrations.push(converted);
    previous = converted;
  }
  return { layout: history.layout, source: history.dir, migrations, notes };
}

/** The mapping file's content: drizzle migration ↔ Atlas file. */
export function mappingOf(plan: ConversionPlan): object {
  return {
    source: plan.source,
    layout: plan.layout,
    migrations: plan.migrations.map((item) => ({
      drizzle: item.drizzle.tag,
      drizzleFile: item.drizzle.file,
      sha256: item.drizzle.hash,
      createdAt: item.drizzle.createdAt,
      atlasVersion: item.version,
      atlasFile: item.file,
    })),
  };
}

/**
 * Writes the Atlas directory for a history and hashes it with Atlas. Files already present with
 * the same content are left alone; a different file under a needed name is refused
 * ({@link ConversionConflictError}); other `.sql` files (Atlas migrations added after adoption)
 * are kept.
 */
export async function convertHistory(
  context: AtlasContext,
  history: DrizzleHistory,
  outDir: string,
): Promise<Conversion> {
  const plan = planConversion(history);
  const dir = resolve(context.cwd, outDir);
  mkdirSync(dir, { recursive: true });
  const existing = new Set(readdirSync(dir));
  for (const item of plan.migrations) {
    const path = join(dir, item.file);
    if (existing.has(item.file) && readFileSync(path, "utf8") !== item.text) {
      throw new ConversionConflictError(
        `${join(outDir, item.file)} already exists with different content. It was converted from an older version of ${item.drizzle.file}, or edited by hand; an applied migration must not change. Restore it, or convert into an empty directory.`,
      );
    }
  }
  const newestExisting = [...existing]
    .filter((name) => name.endsWith(".sql"))
    .sort()
    .pop();
  const written: string[] = [];
  const notes = [...plan.notes];
  for (const item of plan.migrations) {
    if (existing.has(item.file)) continue;
    writeFileSync(join(dir, item.file), item.text);
    written.push(item.file);
    if (newestExisting !== undefined && item.file < newestExisting) {
      notes.push({
        kind: "inserted-before-existing",
        migration: item.drizzle.tag,
        message: `${item.file} is new but sorts before ${newestExisting}, which was already there: a database that applied ${newestExisting} will never run it (Atlas skips files older than its current version). Add new migrations after the existing ones instead.`,
      });
    }
  }
  writeFileSync(join(dir, MAPPING_FILE), `${JSON.stringify(mappingOf(plan), null, 2)}\n`);
  await migrateHash(context, { dir });
  const ours = new Set(plan.migrations.map((item) => item.file));
  const otherFiles = readdirSync(dir)
    .filter((name) => name.endsWith(".sql") && !ours.has(name))
    .sort();
  return { ...plan, notes, dir, written, otherFiles };
}

/**
 * Reads a drizzle-kit migrations folder, in either layout, exactly as drizzle's migrator sees it:
 *
 * - 0.x (drizzle-kit ≤ 0.31): `meta/_journal.json` lists the migrations in order; each is
 *   `<tag>.sql`. Files the journal does not list are ignored by drizzle (and here).
 * - 1.x: one folder `YYYYMMDDHHMMSS_<name>/` per migration with `migration.sql` and
 *   `snapshot.json`; no journal; order is the folder names' order.
 *
 * Statements are separated by `--> statement-breakpoint`; the migrator sends each chunk as one
 * query. `hash` is what the migrator records: SHA-256 (hex) of the file's text.
 * @see https://orm.drizzle.team/docs/kit-overview
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";

/** The separator drizzle-kit writes between statements. */
export const STATEMENT_BREAKPOINT = "--> statement-breakpoint";

/** `journal`: drizzle-kit 0.x (`meta/_journal.json`); `folders`: drizzle-kit 1.x. */
export type DrizzleLayout = "journal" | "folders";

/** One migration of a drizzle-kit history, in the migrator's order. */
export interface DrizzleMigration {
  /** 0-based position in the history (journal order, or folder-name order). */
  readonly position: number;
  /** 0.x: the journal tag (`0001_posts`); 1.x: the folder name (`20240102030405_posts`). */
  readonly tag: string;
  /** The name part of the tag (`posts`), for Atlas file names. */
  readonly name: string;
  /** The SQL file, relative to the migrations folder. */
  readonly file: string;
  /** The file's text as drizzle reads it. */
  readonly sql: string;
  /** Chunks between breakpoints, untrimmed, exactly as the migrator executes them. */
  readonly chunks: readonly string[];
  /** SHA-256 (hex) of `sql`: the `hash` the migrator records. */
  readonly hash: string;
  /**
   * The same hash after CRLF → LF: newer drizzle-orm releases normalize line endings before
   * hashing, so a database migrated by them records this one. Equal to `hash` for LF files.
   */
  readonly hashLf: string;
  /** Milliseconds the migrator records as `created_at`: the journal's `when`, or the folder's UTC timestamp. */
  readonly createdAt: number;
  /** 1.x only: the 14-digit folder timestamp. */
  readonly folderTimestamp?: string;
  /** 0.x journal flag; always true in 1.x (the migrator splits on breakpoints regardless). */
  readonly breakpoints: boolean;
}

/** A drizzle-kit migrations folder, validated. */
export interface DrizzleHistory {
  /** Absolute path of the folder. */
  readonly dir: string;
  readonly layout: DrizzleLayout;
  /** `postgresql` (0.x journal) or `postgres` (1.x snapshots). */
  readonly dialect: string;
  readonly migrations: readonly DrizzleMigration[];
  /** Things drizzle silently ignores (stray files, folders without migration.sql). */
  readonly warnings: readonly string[];
}

/** The folder cannot be read as a drizzle-kit history; the message names the file and field. */
export class DrizzleHistoryError extends Error {
  override readonly name = "DrizzleHistoryError";
}

const journalSchema = z.looseObject({
  version: z.string({ error: 'must be a string such as "7"' }),
  dialect: z.string({ error: 'must be a string such as "postgresql"' }),
  entries: z.array(
    z.looseObject({
      idx: z.number({ error: "must be a number" }).int().nonnegative(),
      version: z.string().optional(),
      when: z.number({ error: "must be a number (milliseconds since 1970)" }).int().positive(),
      tag: z
        .string({ error: "must be a string" })
        .min(1)
        .regex(/^[^/\\]+$/, "must be a file name without a folder"),
      breakpoints: z.boolean({ error: "must be true or false" }),
    }),
    { error: "must be an array" },
  ),
});

const snapshotSchema = z.looseObject({
  dialect: z.string({ error: "must be a string" }),
  id: z.string({ error: "must be a string" }),
  prevIds: z.array(z.string()).optional(),
});

const FOLDER = /^(\d{14})_(.+)$/;
const POSTGRES_DIALECTS = new Set(["postgresql", "postgres", "pg"]);

function describeZod(file: string, error: z.ZodError): string {
  return error.issues
    .map((issue) => `${file}: ${issue.path.map(String).join(".") || "(root)"}: ${issue.message}`)
    .join("\n");
}

function readJson(path: string, shown: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw new DrizzleHistoryError(`${shown}: cannot be read (${(cause as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new DrizzleHistoryError(`${shown}: not valid JSON (${(cause as Error).message})`);
  }
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Splits a migration the way drizzle's migrator does (chunks keep their whitespace). */
export function splitStatements(sql: string): string[] {
  return sql.split(STATEMENT_BREAKPOINT);
}

function migrationOf(
  base: Omit<DrizzleMigration, "chunks" | "hash" | "hashLf" | "sql">,
  dir: string,
): DrizzleMigration {
  const path = join(dir, base.file);
  let sql: string;
  try {
    sql = readFileSync(path).toString();
  } catch {
    throw new DrizzleHistoryError(`${base.file}: listed in the history but the file is missing`);
  }
  return {
    ...base,
    sql,
    chunks: splitStatements(sql),
    hash: sha256(sql),
    hashLf: sha256(sql.replace(/\r\n/g, "\n")),
  };
}

/** Milliseconds of a `YYYYMMDDHHMMSS` UTC timestamp, or undefined when it is not a real date. */
export function timestampMillis(stamp: string): number | undefined {
  const parts = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(stamp);
  if (!parts) return undefined;
  const [year, month, day, hour, minute, second] = parts.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const millis = Date.UTC(year, month - 1, day, hour, minute, second);
  return formatTimestamp(millis) === stamp ? millis : undefined;
}

/** `YYYYMMDDHHMMSS` in UTC. */
export function formatTimestamp(millis: number): string {
  return new Date(millis).toISOString().replace(/\D/g, "").slice(0, 14);
}

function readJournalLayout(dir: string): DrizzleHistory {
  const shown = "meta/_journal.json";
  const parsed = journalSchema.safeParse(readJson(join(dir, "meta", "_journal.json"), shown));
  if (!parsed.success) throw new DrizzleHistoryError(describeZod(shown, parsed.error));
  const journal = parsed.data;
  if (!POSTGRES_DIALECTS.has(journal.dialect)) {
    throw new DrizzleHistoryError(
      `${shown}: dialect: must be postgresql (found "${journal.dialect}"); only PostgreSQL histories can be adopted`,
    );
  }
  const warnings: string[] = [];
  const seen = new Map<string, number>();
  const migrations = journal.entries.map((entry, position) => {
    const previous = seen.get(entry.tag);
    if (previous !== undefined) {
      throw new DrizzleHistoryError(
        `${shown}: entries.${position}.tag: "${entry.tag}" is listed twice (also entries.${previous})`,
      );
    }
    seen.set(entry.tag, position);
    if (entry.idx !== position) {
      warnings.push(
        `${shown}: entries.${position}.idx is ${entry.idx}; drizzle ignores idx and runs entries in listed order`,
      );
    }
    return migrationOf(
      {
        position,
        tag: entry.tag,
        name: entry.tag.replace(/^\d+_/, "") || entry.tag,
        file: `${entry.tag}.sql`,
        createdAt: entry.when,
        breakpoints: entry.breakpoints,
      },
      dir,
    );
  });
  const listed = new Set(migrations.map((migration) => migration.file));
  for (const file of readdirSync(dir).sort()) {
    if (file.endsWith(".sql") && !listed.has(file)) {
      warnings.push(`${file}: not in meta/_journal.json; drizzle ignores it and so does adoption`);
    }
  }
  return { dir, layout: "journal", dialect: journal.dialect, migrations, warnings };
}

function readFolderLayout(dir: string, folders: readonly string[]): DrizzleHistory {
  const warnings: string[] = [];
  const dialects = new Set<string>();
  // drizzle-orm 1.x sorts folder names with localeCompare; the same order is used here.
  const ordered = [...folders].sort((a, b) => a.localeCompare(b));
  const migrations = ordered.map((folder, position) => {
    const match = FOLDER.exec(folder);
    const stamp = match?.[1];
    const millis = stamp === undefined ? undefined : timestampMillis(stamp);
    if (!match || stamp === undefined || millis === undefined) {
      throw new DrizzleHistoryError(
        `${folder}/: folder name must be <YYYYMMDDHHMMSS>_<name> with a valid UTC timestamp (drizzle derives created_at from it)`,
      );
    }
    const snapshotPath = join(dir, folder, "snapshot.json");
    if (existsSync(snapshotPath)) {
      const shown = `${folder}/snapshot.json`;
      const snapshot = snapshotSchema.safeParse(readJson(snapshotPath, shown));
      if (!snapshot.success) throw new DrizzleHistoryError(describeZod(shown, snapshot.error));
      if (!POSTGRES_DIALECTS.has(snapshot.data.dialect)) {
        throw new DrizzleHistoryError(
          `${shown}: dialect: must be postgres (found "${snapshot.data.dialect}"); only PostgreSQL histories can be adopted`,
        );
      }
      dialects.add(snapshot.data.dialect);
    } else {
      warnings.push(
        `${folder}/snapshot.json: missing; drizzle-kit generate needs it, the migrator does not`,
      );
    }
    return migrationOf(
      {
        position,
        tag: folder,
        name: match[2] ?? folder,
        file: `${folder}/migration.sql`,
        createdAt: millis,
        folderTimestamp: stamp,
        breakpoints: true,
      },
      dir,
    );
  });
  return {
    dir,
    layout: "folders",
    dialect: [...dialects][0] ?? "postgres",
    migrations,
    warnings,
  };
}

/**
 * Reads and validates a drizzle-kit migrations folder (0.x journal or 1.x folders).
 * Throws {@link DrizzleHistoryError} naming the file and field that is wrong.
 */
export function readDrizzleHistory(folder: string): DrizzleHistory {
  const dir = resolve(folder);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new DrizzleHistoryError(`${folder}: not a folder`);
  }
  if (existsSync(join(dir, "meta", "_journal.json"))) return readJournalLayout(dir);
  const entries = readdirSync(dir).filter((name) => statSync(join(dir, name)).isDirectory());
  const withSql = entries.filter((name) => existsSync(join(dir, name, "migration.sql")));
  if (withSql.length === 0) {
    throw new DrizzleHistoryError(
      `${folder}: no drizzle-kit migrations found (expected meta/_journal.json, or <YYYYMMDDHHMMSS>_<name>/migration.sql folders)`,
    );
  }
  const history = readFolderLayout(dir, withSql);
  const ignored = entries.filter((name) => !withSql.includes(name) && name !== "meta");
  return {
    ...history,
    warnings: [
      ...history.warnings,
      ...ignored.map((name) => `${name}/: has no migration.sql; drizzle ignores it`),
    ],
  };
}

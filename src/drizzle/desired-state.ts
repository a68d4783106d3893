import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { extensionStatements } from "../db/dev-database.ts";
import { type DrizzleExport, exportDrizzleSchema } from "./export.ts";

/** Where the desired schema comes from. */
export interface DesiredStateSource {
  /** The drizzle config file (`drizzle.config.ts`). */
  readonly drizzleConfig: string;
  /** Extensions the schema needs (`CREATE EXTENSION IF NOT EXISTS` goes first). */
  readonly extensions?: readonly string[];
  /**
   * SQL files appended after the Drizzle export, in order: objects Drizzle cannot express
   * (expression indexes, triggers, functions).
   */
  readonly extraSql?: readonly string[];
  /** Folder relative paths resolve against (default: the current directory). */
  readonly cwd?: string;
  readonly signal?: AbortSignal;
}

/** The assembled desired state. */
export interface DesiredState {
  readonly sql: string;
  readonly export: DrizzleExport;
}

/** A piece of hand-written SQL and the name it is shown under. */
export interface ExtraSql {
  readonly name: string;
  readonly text: string;
}

/** Joins extension SQL, the Drizzle export and extra SQL into one file's text (pure). */
export function composeDesiredState(parts: {
  readonly extensions: readonly string[];
  readonly drizzleSql: string;
  readonly extraSql: readonly ExtraSql[];
}): string {
  const sections = [
    parts.extensions.length > 0 ? `-- extensions\n${extensionStatements(parts.extensions)}` : "",
    `-- drizzle-kit export\n${parts.drizzleSql.trimEnd()}\n`,
    ...parts.extraSql.map((extra) => `-- ${extra.name}\n${extra.text.trimEnd()}\n`),
  ];
  return sections.filter(Boolean).join("\n");
}

/** Exports the Drizzle schema and assembles the desired-state SQL. */
export async function buildDesiredState(source: DesiredStateSource): Promise<DesiredState> {
  const cwd = source.cwd ?? process.cwd();
  const extraSql = (source.extraSql ?? []).map((file) => {
    try {
      return { name: file, text: readFileSync(resolve(cwd, file), "utf8") };
    } catch (cause) {
      throw new Error(
        `Extra SQL file ${file} cannot be read (${(cause as NodeJS.ErrnoException).code ?? cause}). Check the path (relative to ${cwd}).`,
        { cause },
      );
    }
  });
  const exported = await exportDrizzleSchema({
    config: source.drizzleConfig,
    cwd,
    ...(source.signal ? { signal: source.signal } : {}),
  });
  const sql = composeDesiredState({
    extensions: source.extensions ?? [],
    drizzleSql: exported.sql,
    extraSql,
  });
  return { sql, export: exported };
}

/**
 * Builds the desired state, writes it to `desired.sql` in a private temporary folder, runs
 * `work` with that file's path (for Atlas: `file://<path>`), and removes the folder afterwards.
 */
export async function withDesiredStateFile<T>(
  source: DesiredStateSource,
  work: (path: string, state: DesiredState) => Promise<T>,
): Promise<T> {
  const state = await buildDesiredState(source);
  const folder = mkdtempSync(join(tmpdir(), "atlas-rollout-desired-"));
  try {
    const path = join(folder, "desired.sql");
    writeFileSync(path, state.sql);
    return await work(path, state);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

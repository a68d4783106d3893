import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { type AtlasContext, migrateDiff, migrateHash, schemaDiff } from "../atlas/index.ts";
import { createDevDatabase } from "../db/dev-database.ts";
import { type DesiredStateSource, withDesiredStateFile } from "./desired-state.ts";
import type { DrizzleExport } from "./export.ts";

/** Inputs of {@link planMigration}. */
export interface PlanMigrationParams extends DesiredStateSource {
  /** Path of the pinned Atlas CLI. */
  readonly atlasPath: string;
  /** Atlas migration directory (relative to `cwd` or absolute). */
  readonly dir: string;
  /** Description part of the new file's name (`<timestamp>_<name>.sql`). */
  readonly name?: string;
  /** Server on which a scratch dev database is created (and dropped) for this run. */
  readonly devServerUrl: string;
  /** Postgres schemas the rollout owns; empty or absent: the whole database. */
  readonly schemas?: readonly string[];
}

/** What planning did. */
export type PlanResult = {
  /** The migration directory (absolute). */
  readonly dir: string;
  /** The Drizzle export the plan was made from. */
  readonly export: DrizzleExport;
} & (
  | { readonly status: "in-sync" }
  | {
      readonly status: "planned";
      /** Name of the new migration file. */
      readonly file: string;
      readonly sql: string;
      /** Enum types added after Atlas (`schema.name`); see {@link addEnumsOfNewSchemas}. */
      readonly addedEnums: readonly string[];
    }
);

/** `CREATE TYPE "schema"."name" AS ENUM (…);` statements of a SQL text, by `schema.name`. */
export function enumStatements(sql: string): Map<string, string> {
  const found = new Map<string, string>();
  const pattern =
    /^\s*CREATE\s+TYPE\s+"?([\w$]+)"?\s*\.\s*"?([\w$]+)"?\s+AS\s+ENUM\s*\(([^;]*)\)\s*;/gim;
  for (const match of sql.matchAll(pattern)) {
    const [, schemaName = "", typeName = "", values = ""] = match;
    found.set(
      `${schemaName}.${typeName}`,
      `CREATE TYPE "${schemaName}"."${typeName}" AS ENUM (${values.trim()});`,
    );
  }
  return found;
}

/**
 * Adds the enum types of schemas that a migration creates. Atlas v0.13.1 plans a new schema
 * with its tables and views but without its enum types (its differ never emits them for a new
 * schema), so the file would fail on the first table that uses one. The statements come from
 * the desired state and go right after the schema's `CREATE SCHEMA` (pure).
 */
export function addEnumsOfNewSchemas(
  migrationSql: string,
  desiredSql: string,
): { sql: string; added: string[] } {
  const enums = enumStatements(desiredSql);
  const added: string[] = [];
  const sql = migrationSql.replace(
    /^CREATE SCHEMA "([^"]+)";\n/gm,
    (statement, schemaName: string) => {
      const missing = [...enums]
        .filter(([key]) => key.startsWith(`${schemaName}.`))
        .filter(([key]) => {
          const [, typeName] = key.split(".");
          return !migrationSql.includes(`CREATE TYPE "${schemaName}"."${typeName}"`);
        });
      added.push(...missing.map(([key]) => key));
      return (
        statement +
        missing
          .map(([key, create]) => `-- Create enum type "${key.split(".")[1]}"\n${create}\n`)
          .join("")
      );
    },
  );
  return { sql, added };
}

function sqlFiles(dir: string): Set<string> {
  return new Set(readdirSync(dir).filter((name) => name.endsWith(".sql")));
}

/**
 * Plans the next migration: exports the Drizzle schema, assembles the desired state and lets
 * `atlas migrate diff` compare it with the directory's history on a scratch dev database (with
 * the extensions installed). Writes one new file and updates atlas.sum, or nothing when the
 * directory already matches the schema.
 * @see https://atlasgo.io/versioned/diff
 */
export async function planMigration(params: PlanMigrationParams): Promise<PlanResult> {
  const cwd = params.cwd ?? process.cwd();
  const dir = resolve(cwd, params.dir);
  mkdirSync(dir, { recursive: true });
  return withDesiredStateFile(params, async (desiredPath, desired): Promise<PlanResult> => {
    const context: AtlasContext = {
      atlasPath: params.atlasPath,
      cwd,
      ...(params.signal ? { signal: params.signal } : {}),
    };
    const schemas = params.schemas?.length ? { schemas: params.schemas } : {};
    const desiredUrl = `file://${desiredPath}`;
    const before = sqlFiles(dir);
    await withDevDatabase(params, (devUrl) =>
      migrateDiff(context, {
        name: params.name ?? "",
        dir,
        to: [desiredUrl],
        devUrl,
        ...schemas,
      }),
    );
    const created = [...sqlFiles(dir)].filter((name) => !before.has(name)).sort();
    const file = created[0];
    if (file === undefined) return { status: "in-sync", dir, export: desired.export };
    if (created.length > 1) {
      throw new Error(`atlas migrate diff wrote ${created.length} files: ${created.join(", ")}`);
    }
    const path = resolve(dir, file);
    const patched = addEnumsOfNewSchemas(
      readFileSync(path, "utf8"),
      readFileSync(desiredPath, "utf8"),
    );
    if (patched.added.length > 0) {
      writeFileSync(path, patched.sql);
      await migrateHash(context, { dir });
    }
    // Replaying the directory must now give the desired state; anything left is a planning gap.
    const remaining = await withDevDatabase(params, (devUrl) =>
      schemaDiff(context, { from: `file://${dir}`, to: desiredUrl, devUrl, ...schemas }),
    ).catch((error: Error) => `-- replaying the directory failed: ${error.message}`);
    if (remaining !== "") {
      throw new Error(
        `The planned migration ${file} does not reproduce the schema. Remaining difference:\n${remaining}\nEdit ${file} to include it, run \`npm run db:migrate:hash\`, then \`npm run db:migrate:plan\` again to confirm it reports the directory in sync.`,
      );
    }
    return {
      status: "planned",
      dir,
      export: desired.export,
      file,
      sql: patched.sql,
      addedEnums: patched.added,
    };
  });
}

async function withDevDatabase<T>(
  params: Pick<PlanMigrationParams, "devServerUrl" | "extensions">,
  work: (devUrl: string) => Promise<T>,
): Promise<T> {
  const dev = await createDevDatabase(params.devServerUrl, params.extensions ?? [], "atlas_plan");
  try {
    return await work(dev.url);
  } finally {
    await dev.drop();
  }
}

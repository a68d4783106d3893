import { query } from "../../src/db/scratch.ts";

/** A comparable picture of a database: schemas, columns, enum values, indexes, revision rows. */
export async function catalogSnapshot(url: string) {
  const columns = await query<{
    schema: string;
    table: string;
    column: string;
    type: string;
    nullable: string;
  }>(
    url,
    `SELECT table_schema AS schema, table_name AS table, column_name AS column, data_type AS type, is_nullable AS nullable
     FROM information_schema.columns
     WHERE table_schema NOT IN ('pg_catalog', 'information_schema')
     ORDER BY 1, 2, ordinal_position`,
  );
  const enums = await query<{ schema: string; name: string; labels: string[] }>(
    url,
    `SELECT n.nspname AS schema, t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
     FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
     GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  const indexes = await query<{ schema: string; name: string; definition: string }>(
    url,
    `SELECT schemaname AS schema, indexname AS name, indexdef AS definition FROM pg_indexes
     WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`,
  );
  const schemas = await query<{ name: string }>(
    url,
    `SELECT nspname AS name FROM pg_namespace
     WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%' ORDER BY 1`,
  );
  return {
    schemas: schemas.map((row) => row.name),
    columns,
    enums,
    indexes,
    revisions: await revisionRows(url),
  };
}

/** Rows of Atlas's revisions table (empty when it does not exist). */
export async function revisionRows(url: string, schema = "atlas_schema_revisions") {
  const exists = await query(
    url,
    "SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = 'atlas_schema_revisions'",
    [schema],
  );
  if (exists.length === 0) return [];
  return query<{
    version: string;
    type: number;
    applied: number;
    total: number;
    error: string | null;
  }>(
    url,
    `SELECT version, type::int AS type, applied::int AS applied, total::int AS total, NULLIF(error, '') AS error FROM "${schema}".atlas_schema_revisions ORDER BY version`,
  );
}

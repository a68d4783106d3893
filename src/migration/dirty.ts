import { query } from "../db/scratch.ts";

/**
 * Finds the first object that makes a database "not clean" for Atlas: any non-system schema
 * other than `public`, or a relation or type in `public`. Scoped to `schemas` when given.
 * Returns a description such as `table "users" in schema "public"`, or undefined when clean.
 */
export async function findForeignObject(
  url: string,
  schemas: readonly string[],
  revisionsSchema: string,
): Promise<string | undefined> {
  const rows = await query<{ kind: string; name: string; schema: string }>(
    url,
    `WITH ns AS (
       SELECT oid, nspname FROM pg_namespace
       WHERE nspname NOT IN ('pg_catalog', 'information_schema', $1)
         AND nspname NOT LIKE 'pg\\_toast%' AND nspname NOT LIKE 'pg\\_temp%'
         AND (cardinality($2::text[]) = 0 OR nspname = ANY($2::text[]))
     )
     SELECT kind, name, schema FROM (
       SELECT 1 AS o, CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'S' THEN 'sequence'
              WHEN 'm' THEN 'materialized view' ELSE 'relation' END AS kind, c.relname AS name, ns.nspname AS schema
       FROM pg_class c JOIN ns ON ns.oid = c.relnamespace
       WHERE c.relkind IN ('r','v','S','m','p','f')
       UNION ALL
       SELECT 2, 'type', t.typname, ns.nspname FROM pg_type t JOIN ns ON ns.oid = t.typnamespace
       WHERE t.typtype IN ('e','d','c') AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind <> 'c')
       UNION ALL
       SELECT 3, 'schema', ns.nspname, ns.nspname FROM ns
       WHERE ns.nspname <> 'public' AND cardinality($2::text[]) = 0
     ) found ORDER BY o, schema, name LIMIT 1`,
    [revisionsSchema, schemas],
  );
  const first = rows[0];
  if (!first) return undefined;
  return first.kind === "schema"
    ? `schema "${first.name}"`
    : `${first.kind} "${first.name}" in schema "${first.schema}"`;
}

/**
 * Generates realistic, non-destructive migration histories for the benchmark: tables with
 * identity keys, foreign keys to earlier tables, indexes, enums and enum values, added columns,
 * and a few data-dependent changes (NOT NULL column without default, unique index on an
 * existing column: MF103 and MF101, which the local policy config only advises on; a backfill
 * then SET NOT NULL, which draws no finding). The same statements are written as an Atlas directory (with atlas.sum
 * by the real CLI) and as a drizzle-kit 0.x history (journal + files).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AtlasContext } from "../src/atlas/client.ts";
import { migrateHash } from "../src/atlas/migrate.ts";
import { STATEMENT_BREAKPOINT } from "../src/drizzle/history.ts";

/** One statement with the comment `atlas migrate diff` would print above it. */
export interface GeneratedStatement {
  readonly comment: string;
  readonly sql: string;
}

/** One migration, independent of the layout it is written in. */
export interface GeneratedMigration {
  /** Atlas version: a UTC timestamp `YYYYMMDDHHMMSS`. */
  readonly version: string;
  /** Short snake_case name (`create_orders_12`). */
  readonly name: string;
  readonly statements: readonly GeneratedStatement[];
}

interface Table {
  readonly name: string;
  /** Nullable text columns that a later migration may index or make NOT NULL. */
  readonly nullableText: string[];
  readonly enumColumn: { readonly name: string; readonly type: string } | undefined;
  columnCount: number;
}

interface Enum {
  readonly name: string;
  readonly values: string[];
}

const ENTITIES = [
  "customers",
  "orders",
  "products",
  "invoices",
  "shipments",
  "payments",
  "suppliers",
  "warehouses",
  "reviews",
  "coupons",
  "carts",
  "refunds",
  "subscriptions",
  "addresses",
  "tickets",
  "employees",
];

const COLUMN_TYPES = [
  "text",
  "character varying(255)",
  "integer",
  "bigint",
  "boolean",
  "numeric(12,2)",
  "jsonb",
  "uuid",
  "timestamptz",
];

/** A small deterministic generator (mulberry32), so every run builds the same history. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Atlas version of the i-th migration: one minute apart from 2024-01-01 00:00 UTC. */
export function versionOf(index: number): string {
  const date = new Date(Date.UTC(2024, 0, 1) + index * 60_000);
  return date
    .toISOString()
    .replace(/[-:T]/g, "")
    .replace(/\.\d+Z$/, "");
}

/**
 * The kinds of change, in the order one "sprint" of 20 migrations cycles through them. Like a
 * mature project, most migrations change existing tables; one in ten creates a table.
 */
const CYCLE = [
  "table",
  "columns",
  "index",
  "columns",
  "foreign-key",
  "default",
  "columns",
  "not-null-column", // MF103
  "enum-value",
  "check",
  "enum-table",
  "columns",
  "index",
  "unique-index", // MF101
  "columns",
  "foreign-key",
  "backfill-not-null",
  "default",
  "index",
  "columns",
] as const;

/** Builds `count` migrations; the first few always create tables so later ones have targets. */
export function generateMigrations(count: number): GeneratedMigration[] {
  const next = random(7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const tables: Table[] = [];
  const enums: Enum[] = [];
  const migrations: GeneratedMigration[] = [];

  const createTable = (index: number, withEnum: boolean): GeneratedStatement[] => {
    const statements: GeneratedStatement[] = [];
    const name = `${ENTITIES[index % ENTITIES.length]}_${index}`;
    let enumColumn: Table["enumColumn"];
    if (withEnum) {
      const type = `${name}_status`;
      const values = ["draft", "active", "archived"];
      enums.push({ name: type, values: [...values] });
      statements.push({
        comment: `Create enum type "${type}"`,
        sql: `CREATE TYPE "public"."${type}" AS ENUM (${values.map((value) => `'${value}'`).join(", ")});`,
      });
      enumColumn = { name: "status", type };
    }
    const columns = [`"id" integer NOT NULL GENERATED ALWAYS AS IDENTITY`];
    const nullableText: string[] = [];
    const extra = 2 + Math.floor(next() * 4);
    for (let column = 0; column < extra; column++) {
      const type = pick(COLUMN_TYPES);
      const columnName = `${type.split(/[ (]/)[0]}_${column}`;
      if (type === "text") nullableText.push(columnName);
      const notNull = type !== "text" && next() < 0.5;
      const fallback = type === "timestamptz" && notNull ? " DEFAULT now()" : "";
      columns.push(`"${columnName}" ${type} ${notNull ? "NOT NULL" : "NULL"}${fallback}`);
    }
    if (enumColumn) {
      columns.push(`"status" "public"."${enumColumn.type}" NOT NULL DEFAULT 'draft'`);
    }
    columns.push(`"created_at" timestamptz NOT NULL DEFAULT now()`);
    const constraints = [`PRIMARY KEY ("id")`];
    const parent = tables.length > 0 ? pick(tables) : undefined;
    if (parent) {
      columns.push(`"${parent.name}_id" integer NULL`);
      constraints.push(
        `CONSTRAINT "${name}_${parent.name}_id_fk" FOREIGN KEY ("${parent.name}_id") REFERENCES "public"."${parent.name}" ("id") ON UPDATE NO ACTION ON DELETE SET NULL`,
      );
    }
    statements.push({
      comment: `Create "${name}" table`,
      sql: `CREATE TABLE "public"."${name}" (${[...columns, ...constraints].join(", ")});`,
    });
    if (parent) {
      statements.push({
        comment: `Create index "${name}_${parent.name}_id_idx" to table: "${name}"`,
        sql: `CREATE INDEX "${name}_${parent.name}_id_idx" ON "public"."${name}" ("${parent.name}_id");`,
      });
    }
    statements.push({
      comment: `Create index "${name}_created_at_idx" to table: "${name}"`,
      sql: `CREATE INDEX "${name}_created_at_idx" ON "public"."${name}" ("created_at");`,
    });
    tables.push({ name, nullableText, enumColumn, columnCount: columns.length });
    return statements;
  };

  for (let index = 0; index < count; index++) {
    const wanted = tables.length < 3 ? "table" : CYCLE[index % CYCLE.length];
    const kind =
      wanted === "enum-value" && enums.length === 0
        ? "table"
        : (wanted === "unique-index" || wanted === "backfill-not-null") &&
            !tables.some((table) => table.nullableText.length > 0)
          ? "columns"
          : wanted;
    let statements: GeneratedStatement[];
    let name: string;
    switch (kind) {
      case "table":
      case "enum-table": {
        statements = createTable(index, kind === "enum-table");
        name = `create_${tables.at(-1)?.name}`;
        break;
      }
      case "columns": {
        const table = pick(tables);
        statements = [];
        const added = 1 + Math.floor(next() * 3);
        for (let column = 0; column < added; column++) {
          const type = pick(COLUMN_TYPES);
          const columnName = `${type.split(/[ (]/)[0]}_${table.columnCount++}`;
          if (type === "text") table.nullableText.push(columnName);
          statements.push({
            comment: `Modify "${table.name}" table`,
            sql: `ALTER TABLE "public"."${table.name}" ADD COLUMN "${columnName}" ${type} NULL;`,
          });
        }
        name = `add_columns_to_${table.name}`;
        break;
      }
      case "index": {
        const table = pick(tables);
        const indexName = `${table.name}_created_at_id_idx_${index}`;
        statements = [
          {
            comment: `Create index "${indexName}" to table: "${table.name}"`,
            sql: `CREATE INDEX "${indexName}" ON "public"."${table.name}" ("created_at", "id");`,
          },
        ];
        name = `index_${table.name}`;
        break;
      }
      case "enum-value": {
        const type = pick(enums);
        const value = `state_${type.values.length}`;
        type.values.push(value);
        statements = [
          {
            comment: `Add value to enum type: "${type.name}"`,
            sql: `ALTER TYPE "public"."${type.name}" ADD VALUE '${value}';`,
          },
        ];
        name = `add_${value}_to_${type.name}`;
        break;
      }
      case "foreign-key": {
        const table = pick(tables);
        const parent = pick(tables.filter((item) => item !== table));
        const columnName = `${parent.name}_ref_${table.columnCount++}`;
        const constraint = `${table.name}_${columnName}_fk`;
        statements = [
          {
            comment: `Modify "${table.name}" table`,
            sql: `ALTER TABLE "public"."${table.name}" ADD COLUMN "${columnName}" integer NULL, ADD CONSTRAINT "${constraint}" FOREIGN KEY ("${columnName}") REFERENCES "public"."${parent.name}" ("id") ON UPDATE NO ACTION ON DELETE SET NULL;`,
          },
          {
            comment: `Create index "${constraint}_idx" to table: "${table.name}"`,
            sql: `CREATE INDEX "${constraint}_idx" ON "public"."${table.name}" ("${columnName}");`,
          },
        ];
        name = `reference_${parent.name}_from_${table.name}`;
        break;
      }
      case "default": {
        const table = pick(tables);
        const columnName = `flag_${table.columnCount++}`;
        statements = [
          {
            comment: `Modify "${table.name}" table`,
            sql: `ALTER TABLE "public"."${table.name}" ADD COLUMN "${columnName}" boolean NOT NULL DEFAULT false;`,
          },
        ];
        name = `add_${columnName}_to_${table.name}`;
        break;
      }
      case "check": {
        const table = pick(tables);
        const columnName = `amount_${table.columnCount++}`;
        statements = [
          {
            comment: `Modify "${table.name}" table`,
            sql: `ALTER TABLE "public"."${table.name}" ADD COLUMN "${columnName}" integer NULL, ADD CONSTRAINT "${table.name}_${columnName}_check" CHECK (${columnName} >= 0);`,
          },
        ];
        name = `add_${columnName}_to_${table.name}`;
        break;
      }
      case "not-null-column": {
        // MF103: fine on an empty table; Atlas warns that rows would make it fail.
        const table = pick(tables);
        const columnName = `required_${table.columnCount++}`;
        statements = [
          {
            comment: `Modify "${table.name}" table`,
            sql: `ALTER TABLE "public"."${table.name}" ADD COLUMN "${columnName}" integer NOT NULL;`,
          },
        ];
        name = `require_${columnName}_on_${table.name}`;
        break;
      }
      case "unique-index": {
        // MF101: a unique index on a column that may already hold duplicates.
        const table = pick(tables.filter((item) => item.nullableText.length > 0));
        const column = table.nullableText.shift() as string;
        statements = [
          {
            comment: `Create index "${table.name}_${column}_key" to table: "${table.name}"`,
            sql: `CREATE UNIQUE INDEX "${table.name}_${column}_key" ON "public"."${table.name}" ("${column}");`,
          },
        ];
        name = `unique_${column}_on_${table.name}`;
        break;
      }
      default: {
        // backfill-not-null: a data change, then nullable → NOT NULL (the backfill draws no MF104).
        const table = pick(tables.filter((item) => item.nullableText.length > 0));
        const column = table.nullableText.shift() as string;
        statements = [
          {
            comment: `Backfill "${table.name}"."${column}"`,
            sql: `UPDATE "public"."${table.name}" SET "${column}" = '' WHERE "${column}" IS NULL;`,
          },
          {
            comment: `Modify "${table.name}" table`,
            sql: `ALTER TABLE "public"."${table.name}" ALTER COLUMN "${column}" SET NOT NULL;`,
          },
        ];
        name = `require_${column}_on_${table.name}`;
      }
    }
    migrations.push({ version: versionOf(index), name, statements });
  }
  return migrations;
}

/** Text of the Atlas file for a migration (a comment line above each statement). */
export function atlasFileText(migration: GeneratedMigration): string {
  return migration.statements.map((item) => `-- ${item.comment}\n${item.sql}\n`).join("");
}

/** Writes an Atlas migration directory and lets the real CLI write its atlas.sum. */
export async function writeAtlasDirectory(
  dir: string,
  migrations: readonly GeneratedMigration[],
  context: AtlasContext,
): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const migration of migrations) {
    writeFileSync(
      join(dir, `${migration.version}_${migration.name}.sql`),
      atlasFileText(migration),
    );
  }
  await migrateHash(context, { dir });
}

/**
 * Writes the same migrations as a drizzle-kit 0.x history: `NNNN_<name>.sql` with statements
 * separated by breakpoints, listed in `meta/_journal.json` (the migrator reads nothing else).
 */
export function writeDrizzleHistory(dir: string, migrations: readonly GeneratedMigration[]): void {
  mkdirSync(join(dir, "meta"), { recursive: true });
  const entries = migrations.map((migration, index) => {
    const tag = `${String(index).padStart(4, "0")}_${migration.name}`;
    const sql = migration.statements.map((item) => item.sql).join(`${STATEMENT_BREAKPOINT}\n`);
    writeFileSync(join(dir, `${tag}.sql`), sql);
    return {
      idx: index,
      version: "7",
      when: Date.UTC(2024, 0, 1) + index * 60_000,
      tag,
      breakpoints: true,
    };
  });
  writeFileSync(
    join(dir, "meta", "_journal.json"),
    `${JSON.stringify({ version: "7", dialect: "postgresql", entries }, null, 2)}\n`,
  );
}

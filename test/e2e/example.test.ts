import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../src/toolchain/index.ts";
import { catalogSnapshot } from "../helpers/catalog.ts";
import { freshDatabase, TEST_SERVER_URL } from "../helpers/database.ts";
import { copyExample } from "../helpers/example.ts";
import { testStack } from "../helpers/stack.ts";

const run = promisify(execFile);

/** Runs the README's main command (`npm start`) against a database, with private local state. */
async function npmStart(databaseUrl: string, home: string) {
  const { stdout } = await run("npm", ["start", "--silent"], {
    cwd: projectRoot,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      DEV_DATABASE_URL: TEST_SERVER_URL,
      ATLAS_ROLLOUT_HOME: home,
    },
    timeout: 300_000,
  });
  return stdout;
}

const COLUMNS = [
  "catalog.categories: id integer NO, slug character varying NO, name text NO, parent_id integer YES",
  "catalog.products: id integer NO, sku character varying NO, name text NO, category_id integer NO, status USER-DEFINED NO, price_cents integer NO, created_at timestamp with time zone NO",
  "public.customers: id integer NO, email character varying NO, name text NO, created_at timestamp with time zone NO, marketing_opt_in boolean NO",
  "public.order_items: order_id integer NO, product_id integer NO, quantity integer NO, unit_price_cents integer NO",
  "public.orders: id integer NO, customer_id integer NO, status USER-DEFINED NO, total_cents integer NO, placed_at timestamp with time zone NO",
  "public.shipments: id integer NO, order_id integer NO, carrier text NO, tracking_number character varying YES, shipped_at timestamp with time zone YES",
];

describe("the example app through npm start", () => {
  it("rolls out the example schema to a fresh database, and a second run changes nothing", async () => {
    const db = await freshDatabase("example");
    const home = mkdtempSync(join(tmpdir(), "home-"));
    const first = await npmStart(db.url, home);
    expect(first).toContain("pending     3 file(s) → 20261126011858");
    expect(first).toContain("schema.ts   in sync with the migrations");
    expect(first).toContain("applied     20261126011846_initial.sql  14 statement(s)");

    const catalog = await catalogSnapshot(db.url);
    expect(catalog.schemas).toEqual(["atlas_schema_revisions", "catalog", "public"]);
    expect(catalog.enums).toEqual([
      {
        schema: "catalog",
        name: "product_status",
        labels: ["draft", "active", "discontinued", "archived"],
      },
      {
        schema: "public",
        name: "order_status",
        labels: ["pending", "paid", "shipped", "cancelled"],
      },
    ]);
    const byTable = new Map<string, string[]>();
    for (const column of catalog.columns.filter((c) => c.schema !== "atlas_schema_revisions")) {
      const key = `${column.schema}.${column.table}`;
      byTable.set(key, [
        ...(byTable.get(key) ?? []),
        `${column.column} ${column.type} ${column.nullable}`,
      ]);
    }
    expect([...byTable].map(([table, columns]) => `${table}: ${columns.join(", ")}`)).toEqual(
      COLUMNS,
    );
    expect(catalog.indexes.map((index) => `${index.schema}.${index.name}`)).toContain(
      "catalog.products_active_category_idx",
    );
    expect(catalog.indexes.find((index) => index.name === "orders_open_idx")?.definition).toMatch(
      / WHERE /,
    );
    expect(catalog.revisions).toEqual([
      { version: "20261126011846", type: 2, applied: 14, total: 14, error: null },
      { version: "20261126011852", type: 2, applied: 2, total: 2, error: null },
      { version: "20261126011858", type: 2, applied: 3, total: 3, error: null },
    ]);

    const second = await npmStart(db.url, home);
    expect(second).toContain("pending     nothing: the database is up to date");
    expect(second).toContain("drift       none");
    expect(second).toContain("applied     nothing (already up to date)");
    expect(second.match(/engine {6}no changes/g)).toHaveLength(2);
    expect(await catalogSnapshot(db.url)).toEqual(catalog);
  });

  it("shows in the preview that schema.ts changed without a migration", async () => {
    const db = await freshDatabase("schemadrift");
    const example = copyExample();
    example.edit(
      "schema/sales.ts",
      'name: text("name").notNull(),',
      'name: text("name").notNull(),\n    nickname: text("nickname"),',
    );
    const stack = await testStack({
      databaseUrl: db.url,
      devDatabaseUrl: TEST_SERVER_URL,
      migrations: { dir: example.dir },
      extraConfig: {
        "atlas-rollout:desiredState": {
          value: JSON.stringify({ drizzleConfig: example.drizzleConfig }),
        },
      },
    });
    const preview = await stack.preview();
    expect(preview.plan?.schemaDrift).toEqual({
      status: "drifted",
      diff: '-- Modify "customers" table\nALTER TABLE "public"."customers" ADD COLUMN "nickname" text NULL;',
      reason: `${example.drizzleConfig} describes changes that no migration in ${example.dir} contains. Run \`npm run db:migrate:plan -- <name>\` and commit the new file.`,
    });
  });
});

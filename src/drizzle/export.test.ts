import { describe, expect, it } from "vitest";
import { copyExample } from "../../test/helpers/example.ts";
import { projectRoot } from "../toolchain/index.ts";
import { DrizzleExportError, exportDrizzleSchema, splitExportOutput } from "./export.ts";

async function exportFailure(config: string, cwd?: string): Promise<DrizzleExportError> {
  try {
    await exportDrizzleSchema({ config, ...(cwd ? { cwd } : {}) });
  } catch (error) {
    if (error instanceof DrizzleExportError) return error;
    throw error;
  }
  throw new Error("the export succeeded");
}

describe("splitExportOutput", () => {
  it("splits statements, including multi-line ones and DO blocks", () => {
    const stdout = [
      'CREATE SCHEMA "catalog";',
      "",
      'CREATE TABLE "t" (',
      '\t"id" integer',
      ");",
      "DO $$ BEGIN",
      ' ALTER TABLE "t" ADD CONSTRAINT "c" CHECK (id > 0);',
      "EXCEPTION",
      " WHEN duplicate_object THEN null;",
      "END $$;",
      'CREATE INDEX "i" ON "t" USING btree ("id");',
      "",
    ].join("\n");
    expect(splitExportOutput(stdout)).toEqual({
      statements: [
        'CREATE SCHEMA "catalog";',
        'CREATE TABLE "t" (\n\t"id" integer\n);',
        'DO $$ BEGIN\n ALTER TABLE "t" ADD CONSTRAINT "c" CHECK (id > 0);\nEXCEPTION\n WHEN duplicate_object THEN null;\nEND $$;',
        'CREATE INDEX "i" ON "t" USING btree ("id");',
      ],
      strays: [],
    });
  });

  it("reports lines that are not SQL with their line numbers", () => {
    const stdout = 'connecting…\nCREATE SCHEMA "a";\n{ ready: true }\nCREATE TABLE "t" (\n';
    expect(splitExportOutput(stdout)).toEqual({
      statements: ['CREATE SCHEMA "a";'],
      strays: [
        { line: 1, text: "connecting…" },
        { line: 3, text: "{ ready: true }" },
        { line: 4, text: 'CREATE TABLE "t" ( (statement never ends with ";")' },
      ],
    });
  });
});

describe("exportDrizzleSchema", () => {
  it("exports the example's schemas, enums, tables, foreign keys and indexes", async () => {
    const result = await exportDrizzleSchema({
      config: "examples/shop/drizzle.config.ts",
      cwd: projectRoot,
    });
    expect(result.statements).toBe(22);
    expect(result.consoleOutput).toBe("");
    for (const expected of [
      'CREATE SCHEMA "catalog";',
      `CREATE TYPE "catalog"."product_status" AS ENUM('draft', 'active', 'discontinued', 'archived');`,
      `CREATE TYPE "public"."order_status" AS ENUM('pending', 'paid', 'shipped', 'cancelled');`,
      'CREATE TABLE "catalog"."products" (',
      'CREATE TABLE "shipments" (',
      'ALTER TABLE "order_items" ADD CONSTRAINT "order_items_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "catalog"."products"("id") ON DELETE restrict ON UPDATE no action;',
      'CREATE UNIQUE INDEX "customers_email_key" ON "customers" USING btree ("email");',
      `CREATE INDEX "products_active_category_idx" ON "catalog"."products" USING btree ("category_id") WHERE "catalog"."products"."status" = 'active';`,
    ]) {
      expect(result.sql).toContain(expected);
    }
  });

  it("refuses the empty output of a schema module that throws, naming the error and where", async () => {
    const example = copyExample();
    example.edit(
      "schema/sales.ts",
      'import { products } from "./catalog.ts";',
      'import { products } from "./catalog.ts";\n\nif (!process.env.SHOP_REGION) throw new Error("SHOP_REGION is not set");',
    );
    const error = await exportFailure("drizzle.config.ts", example.root);
    expect(error.reason).toBe("empty");
    expect(error.exitCode).toBe(0);
    expect(error.message).toBe(
      [
        "drizzle-kit export printed no SQL for drizzle.config.ts: a schema module threw while loading.",
        "  Error: SHOP_REGION is not set",
        "    at schema/sales.ts:17:37",
        "Fix the module (it must load without a database or secrets), then run again. Refusing an empty desired state: it would drop every table.",
      ].join("\n"),
    );
  });

  it("keeps console output of schema modules out of the SQL", async () => {
    const example = copyExample();
    example.append("schema/catalog.ts", '\nconsole.log("catalog schema loaded");\n');
    const result = await exportDrizzleSchema({ config: example.drizzleConfig });
    expect(result.consoleOutput).toBe("catalog schema loaded");
    expect(result.sql).not.toContain("catalog schema loaded");
    expect(result.statements).toBe(22);
  });

  it("refuses output printed after loading, naming the stray lines", async () => {
    const example = copyExample();
    example.append("schema/catalog.ts", '\nsetTimeout(() => console.log("cache warmed"), 0);\n');
    const error = await exportFailure(example.drizzleConfig);
    expect(error.reason).toBe("not-sql");
    expect(error.message).toMatch(
      /printed 1 line\(s\) that are not SQL:\n {2}line \d+: cache warmed\n/,
    );
  });

  it("names a missing config file", async () => {
    const error = await exportFailure("nope/drizzle.config.ts", "/tmp");
    expect(error.reason).toBe("config-not-found");
    expect(error.message).toBe(
      "Drizzle config nope/drizzle.config.ts not found (looked at /tmp/nope/drizzle.config.ts). Pass --drizzle-config <file> with the path of your drizzle.config.ts.",
    );
  });

  it("reports drizzle-kit's own error when the schema path matches nothing", async () => {
    const example = copyExample();
    example.edit("drizzle.config.ts", 'schema: "./schema"', 'schema: "./models"');
    const error = await exportFailure(example.drizzleConfig);
    expect(error.reason).toBe("failed");
    expect(error.message).toContain("No schema files found for path config ['./models']");
  });
});

import { describe, expect, it } from "vitest";
import { freshDatabase } from "../../test/helpers/database.ts";
import { copyExample } from "../../test/helpers/example.ts";
import { projectRoot } from "../toolchain/index.ts";
import { checkSchemaDrift } from "./drift.ts";

describe("checkSchemaDrift", () => {
  it("finds no drift in the example as committed", async () => {
    const dev = await freshDatabase("drift_none");
    expect(
      await checkSchemaDrift({
        drizzleConfig: "examples/shop/drizzle.config.ts",
        dir: "examples/shop/migrations",
        devUrl: dev.url,
        cwd: projectRoot,
      }),
    ).toEqual({ status: "none" });
  });

  it("reports a schema change that has no migration, with the SQL it is missing", async () => {
    const example = copyExample();
    example.edit(
      "schema/sales.ts",
      '    carrier: text("carrier").notNull(),',
      '    carrier: text("carrier").notNull(),\n    weightGrams: integer("weight_grams"),',
    );
    const dev = await freshDatabase("drift_found");
    expect(
      await checkSchemaDrift({
        drizzleConfig: "drizzle.config.ts",
        dir: "migrations",
        devUrl: dev.url,
        cwd: example.root,
      }),
    ).toEqual({
      status: "drifted",
      diff: '-- Modify "shipments" table\nALTER TABLE "public"."shipments" ADD COLUMN "weight_grams" integer NULL;',
      reason:
        "drizzle.config.ts describes changes that no migration in migrations contains. Run `npm run db:migrate:plan -- <name>` and commit the new file.",
    });
  });

  it("fails, with the reason, when the schema cannot be exported", async () => {
    const example = copyExample();
    example.append("schema/catalog.ts", '\nthrow new Error("boom");\n');
    const dev = await freshDatabase("drift_failed");
    const drift = await checkSchemaDrift({
      drizzleConfig: "drizzle.config.ts",
      dir: "migrations",
      devUrl: dev.url,
      cwd: example.root,
    });
    expect(drift.status).toBe("failed");
    expect(drift.reason).toMatch(
      /^drizzle-kit export printed no SQL for drizzle\.config\.ts: a schema module threw while loading\.\n {2}Error: boom\n {4}at schema\/catalog\.ts:\d+:\d+\n/,
    );
  });
});

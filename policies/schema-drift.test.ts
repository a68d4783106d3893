import { describe, expect, it } from "vitest";
import { MIGRATION_RESOURCE_TYPE } from "../src/migration/plan.ts";
import { noSchemaDrift, noUnplannedSchemaChanges } from "./schema-drift.ts";
import { fixturePlan, validate } from "./testing.ts";

function migration(plan: unknown, config: Record<string, unknown> = {}) {
  return { type: MIGRATION_RESOURCE_TYPE, props: { plan }, config };
}

describe("no-schema-drift", () => {
  it("passes when the live schema matches the history or the check was skipped", async () => {
    expect(await validate(noSchemaDrift, migration(fixturePlan()))).toEqual([]);
    const skipped = fixturePlan({ drift: { status: "skipped", reason: "no baseline" } });
    expect(await validate(noSchemaDrift, migration(skipped, { requireCheck: true }))).toEqual([]);
  });

  it("blocks a drifted database and shows the SQL that would revert the drift", async () => {
    const plan = fixturePlan({
      drift: {
        status: "drifted",
        diff: 'DROP INDEX "users_email_idx";\nALTER TABLE "users" DROP COLUMN "nickname";\n',
      },
    });
    expect(await validate(noSchemaDrift, migration(plan))).toEqual([
      [
        "The live database schema differs from what its applied migrations produce (changed outside the migration history?). Revert the manual change, or capture it in a new migration file, then preview again. SQL that would bring it back to the history:",
        '    DROP INDEX "users_email_idx";',
        '    ALTER TABLE "users" DROP COLUMN "nickname";',
      ].join("\n"),
    ]);
  });

  it("shortens a long diff to its first 2000 characters", async () => {
    const plan = fixturePlan({ drift: { status: "drifted", diff: "-- x\n".repeat(1_000) } });
    const [report] = await validate(noSchemaDrift, migration(plan));
    const shown = report?.split("SQL that would bring it back to the history:\n")[1];
    expect(shown).toBe([...Array(400).fill("    -- x"), "    …"].join("\n"));
  });

  it("reports a failed drift check only when requireCheck is set", async () => {
    const plan = fixturePlan({ drift: { status: "failed", reason: "permission denied" } });
    expect(await validate(noSchemaDrift, migration(plan))).toEqual([]);
    expect(await validate(noSchemaDrift, migration(plan, { requireCheck: true }))).toEqual([
      "The drift check could not run: permission denied. Fix the cause and preview again.",
    ]);
  });
});

describe("no-unplanned-schema-changes", () => {
  it("passes when schema.ts matches the migrations or the check is not configured", async () => {
    expect(await validate(noUnplannedSchemaChanges, migration(fixturePlan()))).toEqual([]);
  });

  it("blocks when schema.ts has changes that no migration contains, showing them", async () => {
    const plan = fixturePlan({
      schemaDrift: {
        status: "drifted",
        diff: 'ALTER TABLE "public"."customers" ADD COLUMN "nickname" text NULL;',
      },
    });
    expect(await validate(noUnplannedSchemaChanges, migration(plan))).toEqual([
      [
        "schema.ts changed but no migration was planned for it. Run `npm run db:migrate:plan -- <name>`, review and commit the new file (and atlas.sum), then preview again. The missing migration would contain:",
        '    ALTER TABLE "public"."customers" ADD COLUMN "nickname" text NULL;',
      ].join("\n"),
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { MIGRATION_RESOURCE_TYPE } from "../src/migration/plan.ts";
import { migrationDirectoryIntegrity } from "./migration-directory.ts";
import { fixturePlan, validate } from "./testing.ts";

function migration(plan: unknown, migrationsDir: unknown = "db/migrations") {
  return { type: MIGRATION_RESOURCE_TYPE, props: { plan, migrationsDir } };
}

describe("migration-directory-integrity", () => {
  it("passes a valid directory with nothing out of order", async () => {
    expect(await validate(migrationDirectoryIntegrity, migration(fixturePlan()))).toEqual([]);
  });

  it("blocks an atlas.sum that does not match the files", async () => {
    const plan = fixturePlan({ integrity: { status: "mismatch", message: "checksum mismatch" } });
    expect(await validate(migrationDirectoryIntegrity, migration(plan))).toEqual([
      "atlas.sum does not match the files db/migrations (checksum mismatch). A migration file was added, edited or removed without updating atlas.sum. Never edit a file that was already applied anywhere; if the change is new and reviewed, run `atlas migrate hash` and commit atlas.sum.",
    ]);
  });

  it("blocks a missing or invalid atlas.sum", async () => {
    const missing = fixturePlan({ integrity: { status: "missing" } });
    const invalid = fixturePlan({ integrity: { status: "invalid" } });
    expect(await validate(migrationDirectoryIntegrity, migration(missing))).toEqual([
      "atlas.sum is missing from db/migrations. Run `atlas migrate hash` to create atlas.sum and commit it with the migration files.",
    ]);
    expect(await validate(migrationDirectoryIntegrity, migration(invalid))).toEqual([
      "atlas.sum is not a valid checksum file in db/migrations. atlas.sum was edited by hand or damaged (a merge conflict?). Regenerate it with `atlas migrate hash` after checking the files.",
    ]);
  });

  it("blocks every file older than the current version that was never applied", async () => {
    const plan = fixturePlan({
      currentVersion: "20240105000000",
      outOfOrder: ["20240103000000_a.sql", "20240104000000_b.sql"],
    });
    expect(await validate(migrationDirectoryIntegrity, migration(plan))).toEqual([
      "20240103000000_a.sql in db/migrations is older than the database's current version 20240105000000 but was never applied: Atlas would skip it. Give it a version newer than the current one (rename the file, then run `atlas migrate hash`), or remove it if its changes are already in the database.",
      "20240104000000_b.sql in db/migrations is older than the database's current version 20240105000000 but was never applied: Atlas would skip it. Give it a version newer than the current one (rename the file, then run `atlas migrate hash`), or remove it if its changes are already in the database.",
    ]);
  });

  it("still reports when the directory name is unknown during preview", async () => {
    const plan = fixturePlan({ integrity: { status: "missing" } });
    expect(
      await validate(
        migrationDirectoryIntegrity,
        migration(plan, "04da6b54-80e4-46f7-96ec-b56ff0331ba9"),
      ),
    ).toEqual([
      "atlas.sum is missing from the migration directory. Run `atlas migrate hash` to create atlas.sum and commit it with the migration files.",
    ]);
  });
});

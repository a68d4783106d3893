import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { query } from "../../src/db/scratch.ts";
import { catalogSnapshot, revisionRows } from "../helpers/catalog.ts";
import { freshDatabase, TEST_SERVER_URL } from "../helpers/database.ts";
import { migrationDir, recordingAtlas, testStack, writeMigrations } from "../helpers/stack.ts";

const INIT = `-- Create "users" table
CREATE TABLE "users" ("id" serial NOT NULL, "name" text NOT NULL, PRIMARY KEY ("id"));
-- Create "posts" table
CREATE TABLE "posts" ("id" serial NOT NULL, "user_id" integer NULL, "title" text NULL, PRIMARY KEY ("id"),
  CONSTRAINT "posts_user_fk" FOREIGN KEY ("user_id") REFERENCES "users" ("id"));
`;
const ADD_EMAIL = `ALTER TABLE "users" ADD COLUMN "email" text NULL;
CREATE UNIQUE INDEX "users_name_key" ON "users" ("name");
`;

describe("preview and rollout on the real engine", () => {
  it("previews without writing, rolls out, and a second up changes nothing", async () => {
    const db = await freshDatabase("rollout");
    const dir = await migrationDir({
      "20240101000000_init.sql": INIT,
      "20240102000000_add_email.sql": ADD_EMAIL,
    });
    const stack = await testStack({
      databaseUrl: db.url,
      devDatabaseUrl: TEST_SERVER_URL,
      migrations: { dir },
    });

    const before = await catalogSnapshot(db.url);
    const preview = await stack.preview();
    expect(await catalogSnapshot(db.url)).toEqual(before);
    expect(
      preview.plan?.pending.map((file) => [file.name, file.statements.length, file.txMode]),
    ).toEqual([
      ["20240101000000_init.sql", 2, "file"],
      ["20240102000000_add_email.sql", 2, "file"],
    ]);
    expect(preview.plan?.pending[1]?.statements).toEqual([
      'ALTER TABLE "users" ADD COLUMN "email" text NULL;',
      'CREATE UNIQUE INDEX "users_name_key" ON "users" ("name");',
    ]);
    expect(preview.plan?.lint.findings.map((f) => [f.code, f.file, f.line, f.statement])).toEqual([
      [
        "MF101",
        "20240102000000_add_email.sql",
        2,
        'CREATE UNIQUE INDEX "users_name_key" ON "users" ("name");',
      ],
      [
        "PG101",
        "20240102000000_add_email.sql",
        2,
        'CREATE UNIQUE INDEX "users_name_key" ON "users" ("name");',
      ],
    ]);
    expect(preview.plan?.integrity).toEqual({ status: "valid" });
    expect(preview.plan?.currentVersion).toBeNull();
    expect(preview.plan?.targetVersion).toBe("20240102000000");

    const up = await stack.up();
    expect(up.outputs.currentVersion).toBe("20240102000000");
    expect(up.outputs.status).toBe("OK");
    expect(
      (up.outputs.appliedFiles as { name: string; statements: number }[]).map((f) => [
        f.name,
        f.statements,
      ]),
    ).toEqual([
      ["20240101000000_init.sql", 2],
      ["20240102000000_add_email.sql", 2],
    ]);
    expect(await revisionRows(db.url)).toEqual([
      { version: "20240101000000", type: 2, applied: 2, total: 2, error: null },
      { version: "20240102000000", type: 2, applied: 2, total: 2, error: null },
    ]);

    const second = await stack.preview();
    expect(second.changeSummary).toEqual({ same: 3 });
    expect(second.plan?.pending).toEqual([]);
    expect(second.plan?.drift).toEqual({ status: "none" });
    const again = await stack.up();
    expect(again.changes).toEqual({ same: 3 });

    // A new file is previewed and applied on its own.
    await writeMigrations(dir, {
      "20240103000000_bio.sql": 'ALTER TABLE "users" ADD COLUMN "bio" text NULL;\n',
    });
    const third = await stack.preview();
    expect(third.plan?.pending.map((file) => file.name)).toEqual(["20240103000000_bio.sql"]);
    expect(third.plan?.currentVersion).toBe("20240102000000");
    const last = await stack.up();
    expect(last.changes).toEqual({ same: 2, update: 1 });
    expect(last.outputs.currentVersion).toBe("20240103000000");
  });

  it("reports drift when the live schema no longer matches the applied history", async () => {
    const db = await freshDatabase("drift");
    const dir = await migrationDir({ "20240101000000_init.sql": INIT });
    const stack = await testStack({
      databaseUrl: db.url,
      devDatabaseUrl: TEST_SERVER_URL,
      migrations: { dir },
    });
    await stack.up();
    const { query } = await import("../../src/db/scratch.ts");
    await query(db.url, 'ALTER TABLE "users" ADD COLUMN "sneaky" integer');
    const preview = await stack.preview();
    expect(preview.plan?.drift).toEqual({
      status: "drifted",
      diff: '-- Modify "users" table\nALTER TABLE "public"."users" DROP COLUMN "sneaky";',
    });
  });
});

describe("lint results are reused per file", () => {
  it("lints a file once, whichever database at whichever version needs it first", async () => {
    const recorder = await recordingAtlas();
    const dir = await migrationDir({
      "20240101000000_init.sql": INIT,
      "20240102000000_add_email.sql": ADD_EMAIL,
      "20240103000000_bio.sql": 'ALTER TABLE "users" ADD COLUMN "bio" text NULL;\n',
    });
    const lintRuns = () =>
      readFileSync(recorder.log, "utf8")
        .split("\n")
        .filter((line) => line.startsWith("migrate lint"));
    const envVars = {
      ATLAS_ROLLOUT_ATLAS: recorder.path,
      ATLAS_ROLLOUT_CACHE: mkdtempSync(join(tmpdir(), "cache-")),
    };

    // A database at the second version: only the third file is pending and linted.
    const staging = await freshDatabase("lintcache_a");
    const atTwo = await testStack({
      databaseUrl: staging.url,
      devDatabaseUrl: TEST_SERVER_URL,
      migrations: { dir, baseline: "20240102000000" },
      envVars,
    });
    await query(staging.url, INIT + ADD_EMAIL);
    expect((await atTwo.preview()).plan?.lint.findings).toEqual([]);
    expect(lintRuns().map((line) => line.match(/--latest \d+/)?.[0])).toEqual(["--latest 1"]);

    // A new database needs all three: lint runs from its first uncached file to the end.
    const fresh = await freshDatabase("lintcache_b");
    const fromScratch = await testStack({
      databaseUrl: fresh.url,
      devDatabaseUrl: TEST_SERVER_URL,
      migrations: { dir },
      envVars,
    });
    const preview = await fromScratch.preview();
    expect(preview.plan?.lint.findings.map((finding) => [finding.code, finding.file])).toEqual([
      ["MF101", "20240102000000_add_email.sql"],
      ["PG101", "20240102000000_add_email.sql"],
    ]);
    expect(lintRuns().map((line) => line.match(/--latest \d+/)?.[0])).toEqual([
      "--latest 1",
      "--latest 3",
    ]);

    // Its rollout, and any later preview of either database, lint nothing more.
    await fromScratch.up();
    await atTwo.preview();
    expect(lintRuns()).toHaveLength(2);
  });
});

import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { query } from "../../src/db/scratch.ts";
import { withDatabase } from "../../src/db/url.ts";
import { catalogSnapshot } from "../helpers/catalog.ts";
import { freshDatabase, TEST_SERVER_URL } from "../helpers/database.ts";
import { migrationDir, testStack, writeMigrations } from "../helpers/stack.ts";

const A = { "20240101000000_a.sql": "CREATE TABLE a (id int);\n" };

/** Runs a preview that must fail; returns its message and checks the database did not change. */
async function refusedPreview(url: string, stack: Awaited<ReturnType<typeof testStack>>) {
  const before = await catalogSnapshot(url);
  const error = await stack.preview().catch((caught: Error) => caught);
  expect(error).toBeInstanceOf(Error);
  expect(await catalogSnapshot(url)).toEqual(before);
  return String((error as Error).message);
}

describe("previews that refuse to plan, writing nothing", () => {
  it("refuses a directory whose atlas.sum does not match", async () => {
    const db = await freshDatabase("sum");
    const dir = await migrationDir(A);
    writeFileSync(join(dir, "20240101000000_a.sql"), "CREATE TABLE a (id bigint);\n");
    const stack = await testStack({
      databaseUrl: db.url,
      devDatabaseUrl: TEST_SERVER_URL,
      migrations: { dir },
    });
    expect(await refusedPreview(db.url, stack)).toContain(
      "atlas.sum does not match the directory: 20240101000000_a.sql (or a file before it) changed after atlas.sum was written.",
    );
  });

  it("refuses a directory without atlas.sum", async () => {
    const db = await freshDatabase("nosum");
    const dir = await migrationDir(A);
    rmSync(join(dir, "atlas.sum"));
    const stack = await testStack({
      databaseUrl: db.url,
      devDatabaseUrl: TEST_SERVER_URL,
      migrations: { dir },
    });
    expect(await refusedPreview(db.url, stack)).toContain(
      "atlas.sum is missing. Create it with `npm run db:migrate:hash`",
    );
  });

  it("refuses an out-of-order file older than the current version", async () => {
    const db = await freshDatabase("order");
    const dir = await migrationDir({ ...A, "20240103000000_c.sql": "CREATE TABLE c (id int);\n" });
    const stack = await testStack({
      databaseUrl: db.url,
      devDatabaseUrl: TEST_SERVER_URL,
      migrations: { dir },
    });
    await stack.up();
    await writeMigrations(dir, { "20240102000000_b.sql": "CREATE TABLE b (id int);\n" });
    expect(await refusedPreview(db.url, stack)).toContain(
      "Out-of-order migration file(s) older than the database's current version 20240103000000: 20240102000000_b.sql. Atlas would skip them silently.",
    );
  });

  it("refuses a database with objects but no history, unless a baseline is set", async () => {
    const db = await freshDatabase("dirty");
    await query(db.url, "CREATE TABLE legacy (id int)");
    const dir = await migrationDir({ ...A, "20240102000000_b.sql": "CREATE TABLE b (id int);\n" });
    const stack = await testStack({
      databaseUrl: db.url,
      devDatabaseUrl: TEST_SERVER_URL,
      migrations: { dir },
    });
    expect(await refusedPreview(db.url, stack)).toContain(
      'The database is not clean: found table "legacy" in schema "public", but it has no migration history. Set migrations.baseline',
    );

    const baselined = await testStack({
      databaseUrl: db.url,
      devDatabaseUrl: TEST_SERVER_URL,
      migrations: { dir, baseline: "20240101000000" },
    });
    const preview = await baselined.preview();
    expect(preview.plan?.baseline).toEqual({ version: "20240101000000", willBaseline: true });
    expect(preview.plan?.pending.map((file) => file.name)).toEqual(["20240102000000_b.sql"]);
    const up = await baselined.up();
    expect(up.outputs.currentVersion).toBe("20240102000000");
    const rows = await query<{ version: string; type: number }>(
      db.url,
      "SELECT version, type::int AS type FROM atlas_schema_revisions.atlas_schema_revisions ORDER BY 1",
    );
    expect(rows).toEqual([
      { version: "20240101000000", type: 1 },
      { version: "20240102000000", type: 2 },
    ]);
  });

  it("refuses a baseline version that is not a file", async () => {
    const db = await freshDatabase("badbase");
    const dir = await migrationDir(A);
    const stack = await testStack({
      databaseUrl: db.url,
      devDatabaseUrl: TEST_SERVER_URL,
      migrations: { dir, baseline: "20231231000000" },
    });
    expect(await refusedPreview(db.url, stack)).toContain(
      "migrations.baseline 20231231000000 is not a file in",
    );
  });

  it("refuses an unreachable host with a message that names no password", async () => {
    const db = await freshDatabase("unreach");
    const dir = await migrationDir(A);
    const stack = await testStack({
      databaseUrl: "postgres://app:Unreachable-Secret-42@127.0.0.1:1/app",
      devDatabaseUrl: TEST_SERVER_URL,
      migrations: { dir },
    });
    const message = await refusedPreview(db.url, stack);
    expect(message).toContain("Cannot reach the database. Check host, port and database name");
    expect(message).not.toContain("Unreachable-Secret-42");
  });

  it("rejects invalid settings naming the config key", async () => {
    const db = await freshDatabase("badcfg");
    const dir = await migrationDir(A);
    const stack = await testStack({
      databaseUrl: withDatabase(TEST_SERVER_URL, db.name),
      devDatabaseUrl: TEST_SERVER_URL,
      migrations: { dir, txMode: "sometimes" },
    });
    expect(await refusedPreview(db.url, stack)).toContain(
      'atlas-rollout:migrations.txMode: Invalid option: expected one of "file"|"all"|"none"',
    );
  });
});

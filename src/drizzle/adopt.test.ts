/**
 * Adoption against real databases: histories applied by drizzle-orm's own migrator (0.45.4),
 * compared by the pinned Atlas, applied afterwards by Atlas with the decided baseline.
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TEST_SERVER_URL } from "../../test/helpers/database.ts";
import {
  atlasContext,
  copyJournalHistory,
  drizzleMigrate,
  editJournal,
  FIXTURES,
  journalEntries,
  tempDir,
  testDatabase,
} from "../../test/helpers/drizzle-history.ts";
import { DirtyDatabaseError, StatementFailedError } from "../atlas/errors.ts";
import { migrateApply, migrateStatus } from "../atlas/migrate.ts";
import { query } from "../db/scratch.ts";
import { type AdoptionDecision, analyseAdoption, describeStates } from "./adopt.ts";
import { convertHistory } from "./convert.ts";
import { readDrizzleHistory } from "./history.ts";

async function adopt(url: string, drizzleDir: string, atlasDir = tempDir("atlas")) {
  const context = await atlasContext();
  const conversion = await convertHistory(context, readDrizzleHistory(drizzleDir), atlasDir);
  const decision = await analyseAdoption(context, { url, devUrl: TEST_SERVER_URL, conversion });
  return { context, conversion, decision, atlasDir };
}

const kinds = (decision: AdoptionDecision) => decision.findings.map((item) => item.kind);

async function drizzleRows(url: string) {
  return query<{ hash: string; created_at: string }>(
    url,
    "SELECT hash, created_at FROM drizzle.__drizzle_migrations ORDER BY id",
  );
}

describe("analyseAdoption", () => {
  it("baselines a history applied by drizzle's migrator at its last entry; Atlas then applies nothing, records the baseline, and applies a newer file", async () => {
    const database = await testDatabase("adopt_clean");
    const applied = copyJournalHistory(3);
    await drizzleMigrate(database.url, applied);
    expect(await drizzleRows(database.url)).toHaveLength(3);

    const { context, decision, atlasDir } = await adopt(database.url, applied);
    expect(decision).toEqual({
      baseline: "20261126011807",
      status: "clean",
      findings: [],
      recorded: ["0000_init", "0001_posts", "0002_comments"],
      pending: [],
    });

    const first = await migrateApply(context, {
      url: database.url,
      dir: atlasDir,
      baseline: decision.baseline as string,
    });
    expect(first.applied).toEqual([]);
    const status = await migrateStatus(context, { url: database.url, dir: atlasDir });
    expect(status.applied.map((revision) => [revision.version, revision.type])).toEqual([
      ["20261126011807", "baseline"],
    ]);

    // The team's next migrations (0003 adds an enum value, 0004 uses it), converted later.
    await convertHistory(context, readDrizzleHistory(FIXTURES.v0), atlasDir);
    const second = await migrateApply(context, {
      url: database.url,
      dir: atlasDir,
      txMode: "file",
    });
    expect(second.applied.map((file) => file.name)).toEqual([
      "20261126011809_0003_status_banned.sql",
      "20261126011810_0004_bans.sql",
    ]);
    expect(
      await query(
        database.url,
        "SELECT column_default FROM information_schema.columns WHERE table_name = 'bans' AND column_name = 'status'",
      ),
    ).toEqual([{ column_default: "'banned'::status" }]);

    // Adopting again later: Atlas's revisions count; the baseline stays the recorded one.
    const again = await adopt(database.url, FIXTURES.v0);
    expect(again.decision.status).toBe("clean");
    expect(again.decision.baseline).toBe("20261126011807");
    expect(again.decision.findings.map((item) => item.message)).toEqual([
      "Atlas already rolls out to this database (baseline 20261126011807); applied by Atlas: 20261126011809, 20261126011810. Its revisions count as applied migrations here.",
    ]);
  });

  it("refuses a migration whose file changed after it ran", async () => {
    const database = await testDatabase("adopt_edited");
    const dir = copyJournalHistory(2);
    await drizzleMigrate(database.url, dir);
    const original = readFileSync(join(dir, "0001_posts.sql"), "utf8");
    writeFileSync(join(dir, "0001_posts.sql"), `${original}\n-- reviewed`);
    const { decision } = await adopt(database.url, dir);
    expect(decision.status).toBe("partial");
    expect(decision.baseline).toBeNull();
    expect(kinds(decision)).toEqual(["edited-after-apply"]);
    expect(decision.findings[0]?.nextStep).toContain(
      createHash("sha256").update(original).digest("hex"),
    );
  });

  it("detects a migration that ran partly, naming the objects that exist and those missing", async () => {
    const database = await testDatabase("adopt_partial");
    await drizzleMigrate(database.url, copyJournalHistory(2));
    const comments = readDrizzleHistory(FIXTURES.v0).migrations[2];
    // Statements 1 and 2 of 0002_comments by hand, no drizzle row (a run interrupted outside drizzle).
    for (const chunk of comments?.chunks.slice(0, 2) ?? []) await query(database.url, chunk);

    const { decision } = await adopt(database.url, FIXTURES.v0);
    expect(decision.status).toBe("partial");
    expect(decision.baseline).toBeNull();
    expect(decision.recorded).toEqual(["0000_init", "0001_posts"]);
    expect(kinds(decision)).toEqual(["partial-migration"]);
    const finding = decision.findings[0];
    expect(finding?.migration).toBe("0002_comments");
    expect(finding?.version).toBe("20261126011807");
    expect(finding?.message).toBe(
      "0002_comments.sql ran partly: statements 1–2 of 4 are in the database (the schema equals the history replayed through statement 2); statements 3–4 are not, and it is not recorded.",
    );
    expect(describeStates(finding?.statements ?? [])).toEqual([
      "statement 1: applied   table public.comments",
      "statement 2: applied   column public.posts.published",
      "statement 3: missing   constraint public.comments.comments_post_id_posts_id_fk",
      "statement 4: missing   index public.comments.comments_post_idx",
    ]);
    expect(finding?.nextStep).toContain(
      `INSERT INTO "drizzle"."__drizzle_migrations" ("hash", "created_at") VALUES ('${comments?.hash}', ${comments?.createdAt});`,
    );

    // Following the next step: finish statements 3–4, record the row → clean at 0002.
    for (const chunk of comments?.chunks.slice(2) ?? []) await query(database.url, chunk);
    const unrecorded = await adopt(database.url, FIXTURES.v0);
    expect(unrecorded.decision.status).toBe("partial");
    expect(kinds(unrecorded.decision)).toEqual(["unrecorded-migration"]);
    await query(
      database.url,
      "INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ($1, $2)",
      [comments?.hash, comments?.createdAt],
    );
    const finished = await adopt(database.url, FIXTURES.v0);
    expect(finished.decision.status).toBe("clean");
    expect(finished.decision.baseline).toBe("20261126011807");
    expect(finished.decision.pending).toEqual([
      "20261126011809_0003_status_banned.sql",
      "20261126011810_0004_bans.sql",
    ]);
  });

  it("detects a journal entry that drizzle's migrator skipped because its when is older than the newest row", async () => {
    const database = await testDatabase("adopt_skipped");
    const dir = copyJournalHistory(3);
    await drizzleMigrate(database.url, dir);
    // A migration from a branch, merged after 0002 but generated before it.
    const [, posts] = journalEntries(dir);
    writeFileSync(
      join(dir, "0005_users_status_idx.sql"),
      'CREATE INDEX "users_status_idx" ON "users" USING btree ("status");',
    );
    editJournal(dir, (entries) => [
      ...entries,
      {
        idx: 3,
        version: "7",
        when: (posts?.when ?? 0) + 500,
        tag: "0005_users_status_idx",
        breakpoints: true,
      },
    ]);
    await drizzleMigrate(database.url, dir);
    expect(await drizzleRows(database.url)).toHaveLength(3); // skipped, silently
    expect(await query(database.url, "SELECT to_regclass('users_status_idx') AS index")).toEqual([
      { index: null },
    ]);

    // Pending and older than the newest row: still clean, with a warning.
    const before = await adopt(database.url, dir);
    expect(before.decision.status).toBe("clean");
    expect(before.decision.baseline).toBe("20261126011807");
    expect(kinds(before.decision)).toEqual(["conversion", "pending", "drizzle-would-skip"]);

    // The next migration runs; the branch migration stays behind for good.
    const banned = journalEntries(FIXTURES.v0)[3];
    writeFileSync(
      join(dir, "0003_status_banned.sql"),
      `ALTER TYPE "public"."status" ADD VALUE 'banned';`,
    );
    editJournal(dir, (entries) => [...entries, banned as (typeof entries)[0]]);
    await drizzleMigrate(database.url, dir);
    expect(await drizzleRows(database.url)).toHaveLength(4);

    const { decision } = await adopt(database.url, dir);
    expect(decision.status).toBe("skipped-entries");
    expect(decision.baseline).toBeNull();
    expect(decision.recorded).toEqual([
      "0000_init",
      "0001_posts",
      "0002_comments",
      "0003_status_banned",
    ]);
    const skipped = decision.findings.find((item) => item.kind === "skipped-entry");
    expect(skipped?.migration).toBe("0005_users_status_idx");
    expect(skipped?.message).toBe(
      `0005_users_status_idx.sql is not recorded although later migrations are: its created_at ${(posts?.when ?? 0) + 500} is older than the newest recorded row (${banned?.when}), so drizzle's migrator skipped it silently. None of its objects exist.`,
    );
    expect(describeStates(skipped?.statements ?? [])).toEqual([
      "statement 1: missing   index public.users.users_status_idx",
    ]);
  });

  it("rolls out an enum value and its first use with Atlas's per-file transactions where drizzle's single transaction fails", async () => {
    const context = await atlasContext();
    const failed = await testDatabase("adopt_enum");
    await expect(drizzleMigrate(failed.url, FIXTURES.v0)).rejects.toMatchObject({
      cause: { message: 'unsafe use of new value "banned" of enum type status' },
    });
    // Everything rolled back except drizzle's table, created before its transaction.
    expect(await drizzleRows(failed.url)).toEqual([]);
    const { decision, atlasDir } = await adopt(failed.url, FIXTURES.v0);
    expect(decision.status).toBe("fresh");
    expect(decision.baseline).toBeNull();
    expect(kinds(decision)).toEqual(["no-history", "pending"]);
    await expect(migrateApply(context, { url: failed.url, dir: atlasDir })).rejects.toThrow(
      DirtyDatabaseError,
    );

    // One transaction for everything fails the same way under Atlas…
    const all = await testDatabase("adopt_enum_all");
    const error = await migrateApply(context, { url: all.url, dir: atlasDir, txMode: "all" }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(StatementFailedError);
    expect((error as StatementFailedError).failure.file).toBe("20261126011810_0004_bans.sql");
    expect((error as StatementFailedError).failure.databaseError).toContain(
      'unsafe use of new value "banned" of enum type status',
    );
    // …and one per file succeeds: 0003 commits before 0004 uses the value.
    const perFile = await testDatabase("adopt_enum_file");
    const result = await migrateApply(context, { url: perFile.url, dir: atlasDir, txMode: "file" });
    expect(result.applied).toHaveLength(5);
  });

  it("baselines a drizzle-kit 1.x folder history from rows with names", async () => {
    const database = await testDatabase("adopt_v1");
    const history = readDrizzleHistory(FIXTURES.v1);
    // The table and rows drizzle-orm 1.0.0-rc.5's migrator writes (recorded in the fixture README).
    await query(database.url, "CREATE SCHEMA drizzle");
    await query(
      database.url,
      "CREATE TABLE drizzle.__drizzle_migrations (id serial PRIMARY KEY, hash text NOT NULL, created_at bigint, name text, applied_at timestamp with time zone DEFAULT now())",
    );
    for (const migration of history.migrations.slice(0, 2)) {
      for (const chunk of migration.chunks) await query(database.url, chunk);
      await query(
        database.url,
        "INSERT INTO drizzle.__drizzle_migrations (hash, created_at, name) VALUES ($1, $2, $3)",
        [migration.hash, migration.createdAt, migration.tag],
      );
    }
    const { decision } = await adopt(database.url, FIXTURES.v1);
    expect(decision.status).toBe("clean");
    expect(decision.baseline).toBe("20261126011820");
    expect(decision.recorded).toEqual(["20261126011818_init", "20261126011820_posts"]);

    // A row this history does not have: refuse.
    await query(
      database.url,
      "INSERT INTO drizzle.__drizzle_migrations (hash, created_at, name) VALUES ('deadbeef', 1795655999000, '20261126013319_from_another_branch')",
    );
    const conflict = await adopt(database.url, FIXTURES.v1);
    expect(conflict.decision.status).toBe("conflict");
    expect(conflict.decision.baseline).toBeNull();
    expect(kinds(conflict.decision)).toEqual(["unknown-row"]);
    expect(conflict.decision.findings[0]?.message).toContain(
      "row id 3 (hash deadbeef…, created_at 1795655999000, name 20261126013319_from_another_branch) matches no migration",
    );
  });

  it("reports an empty database without a drizzle table as fresh", async () => {
    const database = await testDatabase("adopt_fresh");
    const { decision } = await adopt(database.url, FIXTURES.v0);
    expect(decision.status).toBe("fresh");
    expect(decision.baseline).toBeNull();
    expect(decision.findings[0]?.message).toBe(
      "No drizzle migrations table drizzle.__drizzle_migrations. The database has no schema objects: nothing to baseline.",
    );
  });
});

import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { editJournal, FIXTURES, tempDir } from "../../test/helpers/drizzle-history.ts";
import { readDrizzleHistory, timestampMillis } from "./history.ts";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("readDrizzleHistory", () => {
  it("reads a drizzle-kit 0.31 journal history in journal order with drizzle's hashes", () => {
    const history = readDrizzleHistory(FIXTURES.v0);
    expect(history.layout).toBe("journal");
    expect(history.dialect).toBe("postgresql");
    expect(history.warnings).toEqual([]);
    expect(history.migrations.map((item) => item.tag)).toEqual([
      "0000_init",
      "0001_posts",
      "0002_comments",
      "0003_status_banned",
      "0004_bans",
    ]);
    const comments = history.migrations[2];
    const text = readFileSync(join(FIXTURES.v0, "0002_comments.sql"), "utf8");
    expect(comments?.hash).toBe(sha256(text));
    expect(comments?.chunks).toHaveLength(4);
    expect(comments?.createdAt).toBe(1795655887734);
    expect(comments?.name).toBe("comments");
  });

  it("reads a drizzle-kit 1.x folder history with created_at from the folder's UTC timestamp", () => {
    const history = readDrizzleHistory(FIXTURES.v1);
    expect(history.layout).toBe("folders");
    expect(history.dialect).toBe("postgres");
    expect(history.migrations.map((item) => [item.tag, item.file, item.createdAt])).toEqual([
      ["20261126011818_init", "20261126011818_init/migration.sql", 1795655898000],
      ["20261126011820_posts", "20261126011820_posts/migration.sql", 1795655900000],
      ["20261126011822_comments", "20261126011822_comments/migration.sql", 1795655902000],
      ["20261126011824_status_banned", "20261126011824_status_banned/migration.sql", 1795655904000],
      ["20261126011826_bans", "20261126011826_bans/migration.sql", 1795655906000],
    ]);
    // The hash the drizzle-orm 1.0.0-rc.5 migrator recorded for this file (see the fixture README).
    expect(history.migrations[0]?.hash).toBe(
      "a93b576fc7fff0cd8737cb6003eebc5c4bbed2f9d81bdd03c8807c9c98573ffa",
    );
  });

  it("ignores, and reports, SQL files the journal does not list", () => {
    const dir = tempDir("history");
    cpSync(FIXTURES.v0, dir, { recursive: true });
    writeFileSync(join(dir, "9999_stray.sql"), "SELECT 1;");
    const history = readDrizzleHistory(dir);
    expect(history.migrations).toHaveLength(5);
    expect(history.warnings).toEqual([
      "9999_stray.sql: not in meta/_journal.json; drizzle ignores it and so does adoption",
    ]);
  });

  it("names the journal field that is invalid", () => {
    const dir = tempDir("history");
    cpSync(FIXTURES.v0, dir, { recursive: true });
    const path = join(dir, "meta", "_journal.json");
    const journal = JSON.parse(readFileSync(path, "utf8"));
    journal.entries[1].when = "yesterday";
    writeFileSync(path, JSON.stringify(journal));
    expect(() => readDrizzleHistory(dir)).toThrow(
      "meta/_journal.json: entries.1.when: must be a number (milliseconds since 1970)",
    );
  });

  it("refuses a journal of another dialect and a listed file that is missing", () => {
    const dir = tempDir("history");
    cpSync(FIXTURES.v0, dir, { recursive: true });
    renameSync(join(dir, "0003_status_banned.sql"), join(dir, "renamed.sql"));
    expect(() => readDrizzleHistory(dir)).toThrow(
      "0003_status_banned.sql: listed in the history but the file is missing",
    );
    const path = join(dir, "meta", "_journal.json");
    writeFileSync(path, readFileSync(path, "utf8").replace('"postgresql"', '"mysql"'));
    expect(() => readDrizzleHistory(dir)).toThrow(
      'meta/_journal.json: dialect: must be postgresql (found "mysql")',
    );
  });

  it("refuses a duplicated tag", () => {
    const dir = tempDir("history");
    cpSync(FIXTURES.v0, dir, { recursive: true });
    editJournal(dir, (entries) => [...entries, { ...(entries[0] as (typeof entries)[0]), idx: 5 }]);
    expect(() => readDrizzleHistory(dir)).toThrow(
      'meta/_journal.json: entries.5.tag: "0000_init" is listed twice (also entries.0)',
    );
  });

  it("names a 1.x folder whose timestamp is not a date, and a malformed snapshot", () => {
    const dir = tempDir("history");
    cpSync(FIXTURES.v1, dir, { recursive: true });
    mkdirSync(join(dir, "20261399000000_bad"));
    writeFileSync(join(dir, "20261399000000_bad", "migration.sql"), "SELECT 1;");
    expect(() => readDrizzleHistory(dir)).toThrow(
      "20261399000000_bad/: folder name must be <YYYYMMDDHHMMSS>_<name> with a valid UTC timestamp",
    );
    renameSync(join(dir, "20261399000000_bad"), join(dir, "20261127000000_bad"));
    writeFileSync(join(dir, "20261127000000_bad", "snapshot.json"), '{"dialect": "postgres"}');
    expect(() => readDrizzleHistory(dir)).toThrow(
      "20261127000000_bad/snapshot.json: id: must be a string",
    );
  });

  it("says what it expected in a folder that is not a drizzle history", () => {
    const dir = tempDir("history");
    expect(() => readDrizzleHistory(dir)).toThrow("no drizzle-kit migrations found");
  });
});

describe("timestampMillis", () => {
  it("accepts real UTC timestamps only", () => {
    expect(timestampMillis("20240229235959")).toBe(Date.UTC(2024, 1, 29, 23, 59, 59));
    expect(timestampMillis("20230229000000")).toBeUndefined();
    expect(timestampMillis("2024")).toBeUndefined();
  });
});

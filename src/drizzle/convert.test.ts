import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  atlasContext,
  editJournal,
  FIXTURES,
  journalEntries,
  tempDir,
  testDatabase,
} from "../../test/helpers/drizzle-history.ts";
import { migrateApply } from "../atlas/migrate.ts";
import { query } from "../db/scratch.ts";
import {
  ConversionConflictError,
  convertHistory,
  isSingleStatement,
  MAPPING_FILE,
  planConversion,
} from "./convert.ts";
import { readDrizzleHistory } from "./history.ts";

/** A custom migration as teams write them: a function body, and two statements in one chunk. */
const CUSTOM_SQL = `CREATE FUNCTION trim_title() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.title := trim(NEW.title); RETURN NEW; END $$;--> statement-breakpoint
CREATE TRIGGER posts_trim_title BEFORE INSERT ON posts FOR EACH ROW EXECUTE FUNCTION trim_title();
UPDATE posts SET title = trim(title);`;

/** v0 plus 0005_custom, whose `when` is older than 0004's (a migration merged from a branch). */
function historyWithCustomMigration(): string {
  const dir = tempDir("convert");
  cpSync(FIXTURES.v0, dir, { recursive: true });
  writeFileSync(join(dir, "0005_custom.sql"), CUSTOM_SQL);
  const comments = journalEntries(dir)[2];
  editJournal(dir, (entries) => [
    ...entries,
    {
      idx: 5,
      version: "7",
      when: (comments?.when ?? 0) + 100,
      tag: "0005_custom",
      breakpoints: true,
    },
  ]);
  return dir;
}

describe("planConversion", () => {
  it("names files <version>_<tag>.sql with versions from the journal's when, in journal order", () => {
    const plan = planConversion(readDrizzleHistory(FIXTURES.v0));
    expect(plan.migrations.map((item) => item.file)).toEqual([
      "20261126011804_0000_init.sql",
      "20261126011806_0001_posts.sql",
      "20261126011807_0002_comments.sql",
      "20261126011809_0003_status_banned.sql",
      "20261126011810_0004_bans.sql",
    ]);
    expect(plan.notes).toEqual([]);
    expect(plan.migrations[1]?.text).toBe(
      `${readFileSync(join(FIXTURES.v0, "0001_posts.sql"), "utf8")
        .split("--> statement-breakpoint")
        .map((chunk) => chunk.trim())
        .join("\n\n")}\n`,
    );
  });

  it("uses the 1.x folder timestamp as the version and the folder's name part as the description", () => {
    const plan = planConversion(readDrizzleHistory(FIXTURES.v1));
    expect(plan.migrations.map((item) => item.file)).toEqual([
      "20261126011818_init.sql",
      "20261126011820_posts.sql",
      "20261126011822_comments.sql",
      "20261126011824_status_banned.sql",
      "20261126011826_bans.sql",
    ]);
  });

  it("keeps journal order for an out-of-order when, moving its version after its predecessor and saying so", () => {
    const plan = planConversion(readDrizzleHistory(historyWithCustomMigration()));
    expect(plan.migrations.map((item) => item.file).slice(4)).toEqual([
      "20261126011810_0004_bans.sql",
      "20261126011811_0005_custom.sql",
    ]);
    expect(plan.notes).toEqual([
      {
        kind: "version-moved",
        migration: "0005_custom",
        message:
          "0005_custom: its journal `when` is older than 0004_bans (20261126011810); Atlas version 20261126011811 instead of 20261126011807 keeps drizzle's order",
      },
      {
        kind: "delimiter",
        migration: "0005_custom",
        message:
          "0005_custom: a chunk between breakpoints is not exactly one plain statement; the Atlas file keeps drizzle's chunks with -- atlas:delimiter",
      },
    ]);
    expect(plan.migrations[5]?.text).toBe(
      `-- atlas:delimiter --> statement-breakpoint\n\n${CUSTOM_SQL.replace(";--> statement-breakpoint\n", ";\n--> statement-breakpoint\n")}\n`,
    );
  });
});

describe("isSingleStatement", () => {
  it("accepts one statement ending with ; and nothing Atlas could split differently", () => {
    expect(isSingleStatement(`CREATE TABLE "a" ("x" text DEFAULT 'a;b');`)).toBe(true);
    expect(isSingleStatement(`-- note\nALTER TYPE "s" ADD VALUE 'it''s';`)).toBe(true);
    expect(isSingleStatement("CREATE TABLE a (x int)")).toBe(false);
    expect(isSingleStatement("SELECT 1; SELECT 2;")).toBe(false);
    expect(isSingleStatement("DO $$ BEGIN PERFORM 1; END $$;")).toBe(false);
    expect(isSingleStatement("-- only a comment")).toBe(false);
    expect(isSingleStatement(`SELECT E'\\';';`)).toBe(false);
  });
});

describe("convertHistory", () => {
  it("writes an Atlas directory that Atlas applies with drizzle's statement boundaries", async () => {
    const context = await atlasContext();
    const out = tempDir("atlas");
    const conversion = await convertHistory(
      context,
      readDrizzleHistory(historyWithCustomMigration()),
      out,
    );
    expect(conversion.written).toHaveLength(6);
    expect(readFileSync(join(out, "atlas.sum"), "utf8")).toMatch(/^h1:/);
    const mapping = JSON.parse(readFileSync(join(out, MAPPING_FILE), "utf8"));
    expect(mapping.migrations[5]).toMatchObject({
      drizzle: "0005_custom",
      drizzleFile: "0005_custom.sql",
      atlasVersion: "20261126011811",
      atlasFile: "20261126011811_0005_custom.sql",
    });

    const database = await testDatabase("convert");
    const result = await migrateApply(context, { url: database.url, dir: out, txMode: "file" });
    // One Atlas statement per drizzle chunk: 3, 3, 4, 1, 2, and 2 (not 3) for the custom file.
    expect(result.applied.map((file) => [file.name, file.statements])).toEqual([
      ["20261126011804_0000_init.sql", 3],
      ["20261126011806_0001_posts.sql", 3],
      ["20261126011807_0002_comments.sql", 4],
      ["20261126011809_0003_status_banned.sql", 1],
      ["20261126011810_0004_bans.sql", 2],
      ["20261126011811_0005_custom.sql", 2],
    ]);
    const triggers = await query(
      database.url,
      "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal",
    );
    expect(triggers).toEqual([{ tgname: "posts_trim_title" }]);
  });

  it("leaves identical files alone and refuses to overwrite a converted file that changed", async () => {
    const context = await atlasContext();
    const out = tempDir("atlas");
    const history = readDrizzleHistory(FIXTURES.v0);
    await convertHistory(context, history, out);
    writeFileSync(join(out, "20261126011811_later.sql"), "CREATE TABLE later (id int);\n");
    const again = await convertHistory(context, history, out);
    expect(again.written).toEqual([]);
    expect(again.otherFiles).toEqual(["20261126011811_later.sql"]);
    rmSync(join(out, "20261126011809_0003_status_banned.sql"));
    const inserted = await convertHistory(context, history, out);
    expect(inserted.written).toEqual(["20261126011809_0003_status_banned.sql"]);
    expect(inserted.notes).toEqual([
      {
        kind: "inserted-before-existing",
        migration: "0003_status_banned",
        message:
          "20261126011809_0003_status_banned.sql is new but sorts before 20261126011811_later.sql, which was already there: a database that applied 20261126011811_later.sql will never run it (Atlas skips files older than its current version). Add new migrations after the existing ones instead.",
      },
    ]);
    writeFileSync(join(out, "20261126011806_0001_posts.sql"), "-- edited\n");
    await expect(convertHistory(context, history, out)).rejects.toThrow(ConversionConflictError);
  });
});

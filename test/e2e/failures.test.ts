import { describe, expect, it } from "vitest";
import { query } from "../../src/db/scratch.ts";
import { revisionRows } from "../helpers/catalog.ts";
import { freshDatabase, TEST_SERVER_URL } from "../helpers/database.ts";
import { migrationDir, recordedMigration, testStack, writeMigrations } from "../helpers/stack.ts";

const tables = async (url: string) =>
  (
    await query<{ name: string }>(
      url,
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    )
  ).map((row) => row.name);

describe("failures during rollout", () => {
  it("names file, line, statement and database error; keeps earlier files; resumes after the fix", async () => {
    const db = await freshDatabase("stmtfail");
    const dir = await migrationDir({
      "20240101000000_a.sql": "CREATE TABLE a (id int);\n",
      "20240102000000_b.sql": "CREATE TABLE b (id int);\n",
      "20240103000000_c.sql": "CREATE TABLE c (id int);\n\nINSERT INTO missing_table VALUES (1);\n",
    });
    const stack = await testStack({
      databaseUrl: db.url,
      devDatabaseUrl: TEST_SERVER_URL,
      migrations: { dir },
    });

    const failure = await stack.up().catch((error: Error) => error);
    expect(failure).toBeInstanceOf(Error);
    const message = String((failure as Error).message);
    expect(message).toContain(
      'Migration 20240103000000_c.sql:3 failed: pq: relation "missing_table" does not exist',
    );
    expect(message).toContain("statement: INSERT INTO missing_table VALUES (1);");
    expect(message).toContain("The file was rolled back; earlier files stay applied.");
    expect(message).toContain("The database is at version 20240102000000.");
    expect(await tables(db.url)).toEqual(["a", "b"]);
    expect((await revisionRows(db.url)).map((row) => row.version)).toEqual([
      "20240101000000",
      "20240102000000",
    ]);

    // Pulumi's state tells the truth about the database.
    const recorded = await recordedMigration(stack.stack);
    expect(recorded?.currentVersion).toBe("20240102000000");
    expect(recorded?.status).toBe("FAILED");
    expect(String(recorded?.lastError)).toContain("20240103000000_c.sql:3");

    const preview = await stack.preview();
    expect(preview.plan?.currentVersion).toBe("20240102000000");
    expect(preview.plan?.pending.map((file) => file.name)).toEqual(["20240103000000_c.sql"]);

    await writeMigrations(dir, { "20240103000000_c.sql": "CREATE TABLE c (id int);\n" });
    const up = await stack.up();
    expect(up.outputs.currentVersion).toBe("20240103000000");
    expect(up.outputs.status).toBe("OK");
    expect(await tables(db.url)).toEqual(["a", "b", "c"]);
    expect((await recordedMigration(stack.stack))?.lastError).toBeNull();
  });

  it("reports a partly applied file (tx mode none) and resumes after the applied statements", async () => {
    const db = await freshDatabase("partial");
    const header = "-- atlas:txmode none\n\n";
    const dir = await migrationDir({
      "20240101000000_a.sql": "CREATE TABLE a (id int);\n",
      "20240102000000_b.sql": `${header}CREATE TABLE b1 (id int);\nINSERT INTO nope VALUES (1);\nCREATE TABLE b3 (id int);\n`,
    });
    const stack = await testStack({
      databaseUrl: db.url,
      devDatabaseUrl: TEST_SERVER_URL,
      migrations: { dir },
    });

    const failure = await stack.up().catch((error: Error) => error);
    expect(String((failure as Error).message)).toContain(
      "1 of 3 statements of this file are applied; the next rollout resumes after them.",
    );
    expect(await tables(db.url)).toEqual(["a", "b1"]);
    expect(await revisionRows(db.url)).toEqual([
      { version: "20240101000000", type: 2, applied: 1, total: 1, error: null },
      {
        version: "20240102000000",
        type: 2,
        applied: 1,
        total: 3,
        error: 'pq: relation "nope" does not exist',
      },
    ]);

    const preview = await stack.preview();
    expect(preview.plan?.partial).toEqual({
      version: "20240102000000",
      applied: 1,
      total: 3,
      error: 'pq: relation "nope" does not exist',
      errorStatement: "INSERT INTO nope VALUES (1);",
    });
    expect(
      preview.plan?.pending.map((file) => [file.name, file.alreadyApplied, file.txMode]),
    ).toEqual([["20240102000000_b.sql", 1, "none"]]);

    // Editing the statement that already ran is refused: the history changed.
    await writeMigrations(dir, {
      "20240102000000_b.sql": `${header}CREATE TABLE b1_renamed (id int);\nCREATE TABLE b2 (id int);\nCREATE TABLE b3 (id int);\n`,
    });
    const refused = await stack.up().catch((error: Error) => error);
    expect(String((refused as Error).message)).toMatch(/history|modified|changed/i);
    expect(await tables(db.url)).toEqual(["a", "b1"]);

    // Fixing only the failed statement resumes exactly after the applied one.
    await writeMigrations(dir, {
      "20240102000000_b.sql": `${header}CREATE TABLE b1 (id int);\nCREATE TABLE b2 (id int);\nCREATE TABLE b3 (id int);\n`,
    });
    const up = await stack.up();
    expect(up.outputs.currentVersion).toBe("20240102000000");
    expect(await tables(db.url)).toEqual(["a", "b1", "b2", "b3"]);
    // Atlas completes the row but keeps the old error text; the plan no longer calls it partial.
    expect((await revisionRows(db.url))[1]).toEqual({
      version: "20240102000000",
      type: 2,
      applied: 3,
      total: 3,
      error: 'pq: relation "nope" does not exist',
    });
    const after = await stack.preview();
    expect(after.plan?.partial).toBeNull();
    expect(after.plan?.pending).toEqual([]);
    expect(after.changeSummary).toEqual({ same: 3 });
  });
});

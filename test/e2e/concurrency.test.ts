import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { query } from "../../src/db/scratch.ts";
import { projectRoot } from "../../src/toolchain/index.ts";
import { revisionRows } from "../helpers/catalog.ts";
import { freshDatabase, TEST_SERVER_URL } from "../helpers/database.ts";
import { migrationDir, testStack } from "../helpers/stack.ts";

/** Statement that waits until the test releases advisory lock 4242 on the target database. */
const GATE = "SELECT pg_advisory_lock(4242);\nSELECT pg_advisory_unlock(4242);\n";
const FILES = {
  "20240101000000_gate.sql": `${GATE}CREATE TABLE gated (id int);\n`,
  "20240102000000_after.sql": "CREATE TABLE after_gate (id int);\n",
};

const gates: pg.Client[] = [];
afterEach(async () => {
  for (const client of gates.splice(0)) await client.end().catch(() => {});
});

/** Holds the gate lock on the target until `release()`. */
async function closeGate(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  gates.push(client);
  await client.query("SELECT pg_advisory_lock(4242)");
  return { release: () => client.query("SELECT pg_advisory_unlock(4242)").then(() => undefined) };
}

/** Resolves once a session on `database` is waiting for the gate (the apply is in flight). */
async function waitForGateWaiter(url: string, database: string) {
  for (let i = 0; i < 600; i++) {
    const rows = await query(
      url,
      "SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' AND query LIKE '%pg_advisory_lock(4242)%'",
      [database],
    );
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the rollout never reached the gate");
}

/**
 * SIGKILLs every process whose environment mentions `marker` (the stack's private folder): the
 * program, the Pulumi engine, the dynamic provider and Atlas. The engine starts plugins in their
 * own process groups, so killing one group would leave the provider and Atlas running.
 */
function killEverything(marker: string): string[] {
  const killed: string[] = [];
  // A few passes: a process may be starting while /proc is read.
  for (let pass = 0; pass < 3; pass++) {
    for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
      try {
        if (!readFileSync(`/proc/${pid}/environ`, "utf8").includes(marker)) continue;
        const command = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
        process.kill(Number(pid), "SIGKILL");
        killed.push(command);
      } catch {}
    }
  }
  return killed;
}

const tables = async (url: string) =>
  (
    await query<{ name: string }>(
      url,
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    )
  ).map((row) => row.name);

describe("concurrent and interrupted rollouts", () => {
  it("lets only one of two simultaneous rollouts apply; the other stops at the lock", async () => {
    const db = await freshDatabase("lock");
    const dir = await migrationDir(FILES);
    const options = {
      databaseUrl: db.url,
      devDatabaseUrl: TEST_SERVER_URL,
      migrations: { dir, lockTimeoutSeconds: 1 },
    };
    const first = await testStack(options);
    const second = await testStack(options);
    const gate = await closeGate(db.url);

    const firstUp = first.up();
    await waitForGateWaiter(TEST_SERVER_URL, db.name);
    const blocked = await second.up().catch((error: Error) => error);
    expect(String((blocked as Error).message)).toContain(
      "Another rollout holds this database's migration lock. Wait for it to finish",
    );
    await gate.release();
    const done = await firstUp;
    expect(done.outputs.currentVersion).toBe("20240102000000");

    // Nothing was applied twice; the stopped rollout finds nothing left to do.
    const again = await second.up();
    expect(again.outputs.currentVersion).toBe("20240102000000");
    expect(again.outputs.appliedFiles).toEqual([]);
    expect(
      (await revisionRows(db.url)).map((row) => [row.version, row.applied, row.total]),
    ).toEqual([
      ["20240101000000", 3, 3],
      ["20240102000000", 1, 1],
    ]);
    expect(await tables(db.url)).toEqual(["after_gate", "gated"]);
  });

  it("recovers from a rollout killed mid-apply: true state in the next preview, completed by the next up", async () => {
    const db = await freshDatabase("killed");
    const dir = await migrationDir(FILES);
    const options = { databaseUrl: db.url, devDatabaseUrl: TEST_SERVER_URL, migrations: { dir } };
    const stack = await testStack(options);
    const gate = await closeGate(db.url);

    const child = spawn(process.execPath, [join(projectRoot, "test/helpers/run-up.ts")], {
      cwd: projectRoot,
      detached: true, // its own process group: the engine, provider and Atlas die with it
      stdio: "ignore",
      env: { ...process.env, TEST_STACK_OPTIONS: JSON.stringify({ ...options, root: stack.root }) },
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    await waitForGateWaiter(TEST_SERVER_URL, db.name);
    // The program, the engine, the provider and the Atlas process blocked mid-statement.
    const killed = killEverything(stack.root);
    expect(killed.some((command) => command.includes("migrate apply"))).toBe(true);
    expect(killed.some((command) => command.includes("dynamic-provider"))).toBe(true);
    await exited;
    await gate.release();

    // The killed transaction rolled back: nothing is applied or recorded.
    expect(await tables(db.url)).toEqual([]);
    expect(await revisionRows(db.url)).toEqual([]);

    const preview = await stack.preview();
    expect(preview.output).toContain("released the state lock of an interrupted run (pid ");
    expect(preview.output).toContain(
      "the last run was interrupted mid-operation; refreshing its state from the database",
    );
    expect(preview.plan?.currentVersion).toBeNull();
    expect(preview.plan?.pending.map((file) => file.name)).toEqual([
      "20240101000000_gate.sql",
      "20240102000000_after.sql",
    ]);
    const up = await stack.up();
    expect(up.outputs.currentVersion).toBe("20240102000000");
    expect(await tables(db.url)).toEqual(["after_gate", "gated"]);
    expect((await revisionRows(db.url)).map((row) => row.version)).toEqual([
      "20240101000000",
      "20240102000000",
    ]);
  });
});

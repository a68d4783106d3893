import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { execa } from "execa";
import { describe, expect, it, onTestFinished } from "vitest";
import {
  copyJournalHistory,
  drizzleMigrate,
  FIXTURES,
  tempDir,
  testDatabase,
} from "../../test/helpers/drizzle-history.ts";
import { query } from "../db/scratch.ts";
import { projectRoot } from "../toolchain/index.ts";

function runAdopt(args: string[], env: Record<string, string>) {
  return execa(process.execPath, [join(projectRoot, "src/cli/adopt.ts"), ...args], {
    cwd: projectRoot,
    env: { ...env, INIT_CWD: projectRoot, DEV_DATABASE_URL: undefined },
    reject: false,
  });
}

function stackName() {
  const stack = `adopt-test-${randomBytes(4).toString("hex")}`;
  const file = join(projectRoot, `Pulumi.${stack}.yaml`);
  onTestFinished(() => rmSync(file, { force: true }));
  return { stack, file };
}

describe("npm run adopt", () => {
  it("writes the baseline and dir into the stack file for a clean database", async () => {
    const database = await testDatabase("cli_clean");
    const drizzleDir = copyJournalHistory(3);
    await drizzleMigrate(database.url, drizzleDir);
    const out = tempDir("atlas");
    const { stack, file } = stackName();
    const result = await runAdopt(["--from", drizzleDir, "--out", out, "--stack", stack], {
      DATABASE_URL: database.url,
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("status           clean\nbaseline         20261126011807\n");
    expect(readFileSync(file, "utf8")).toBe(`config:
  atlas-rollout:migrations:
    dir: ${relative(projectRoot, out)}
    baseline: "20261126011807"
`);
  });

  it("refuses to write a baseline for a partly applied migration and exits 2", async () => {
    const database = await testDatabase("cli_partial");
    await drizzleMigrate(database.url, copyJournalHistory(2));
    await query(database.url, 'CREATE TABLE "comments" ("id" serial PRIMARY KEY NOT NULL)');
    const { stack, file } = stackName();
    const result = await runAdopt(
      [
        "--from",
        FIXTURES.v0,
        "--out",
        tempDir("atlas"),
        "--stack",
        stack,
        "--database-url-env",
        "TARGET_URL",
      ],
      { TARGET_URL: database.url },
    );
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toContain("status           partial\n");
    expect(result.stdout).toContain(
      "          statement 1: applied   table public.comments\n          statement 2: missing   column public.posts.published\n",
    );
    expect(result.stdout).toContain("not changed: no baseline is written for a partial database");
    expect(existsSync(file)).toBe(false);
  });

  it("refuses a database URL on the command line", async () => {
    const result = await runAdopt(
      ["--from", FIXTURES.v0, "--out", "x", "--database-url", "postgres://u:secret@h/db"],
      {},
    );
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("Pass the database URL in an environment variable");
    expect(result.stderr).not.toContain("secret");
  });
});

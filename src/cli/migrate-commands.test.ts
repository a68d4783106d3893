import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { TEST_SERVER_URL } from "../../test/helpers/database.ts";
import { copyExample } from "../../test/helpers/example.ts";
import { projectRoot } from "../toolchain/index.ts";

/** Runs one `db:migrate:*` CLI in a copy of the example, as `npm run` would. */
function command(name: string, cwd: string, ...args: string[]) {
  return execa(
    process.execPath,
    [
      join(projectRoot, `src/cli/migrate-${name}.ts`),
      ...args,
      "--dir",
      "migrations",
      "--drizzle-config",
      "drizzle.config.ts",
    ],
    { cwd, reject: false, env: { DEV_DATABASE_URL: TEST_SERVER_URL } },
  );
}

describe("db:migrate:* commands", () => {
  it("plan reports a directory in sync and writes nothing", async () => {
    const example = copyExample();
    const result = await command("plan", example.root);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(
      [
        "desired state: drizzle.config.ts (22 statements)",
        "migrations is in sync with the schema: no migration written.",
      ].join("\n"),
    );
  });

  it("plan writes a migration, lint points at its destructive line, validate and hash accept it", async () => {
    const example = copyExample();
    example.edit(
      "schema/sales.ts",
      '    shippedAt: timestamp("shipped_at", { withTimezone: true }),\n',
      "",
    );

    const plan = await command("plan", example.root, "drop_shipped_at");
    expect(plan.exitCode).toBe(0);
    const file = /^new migration: migrations\/(\d{14}_drop_shipped_at\.sql)$/m.exec(
      plan.stdout,
    )?.[1];
    expect(plan.stdout).toBe(
      [
        "desired state: drizzle.config.ts (22 statements)",
        `new migration: migrations/${file}`,
        '  Modify "shipments" table',
        "migrations/atlas.sum updated. Review the file, lint it (npm run db:migrate:lint), commit both.",
      ].join("\n"),
    );

    const lint = await command("lint", example.root, "--latest", "1");
    expect(lint.exitCode).toBe(0);
    expect(lint.stdout).toBe(
      [
        `migrations/${file}:2  DS103  Dropping non-virtual column "shipped_at"`,
        "1 file(s) linted, 1 finding(s) in 1 file(s).",
      ].join("\n"),
    );

    const validate = await command("validate", example.root);
    expect([validate.exitCode, validate.stdout]).toEqual([
      0,
      "migrations: atlas.sum matches 4 files; all replay cleanly.",
    ]);

    example.append(`migrations/${file}`, "-- reviewed\n");
    const refused = await command("validate", example.root);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/^error: migrate validate: checksum mismatch\n/);
    const hash = await command("hash", example.root);
    expect([hash.exitCode, hash.stdout]).toEqual([0, "migrations/atlas.sum written (4 files)."]);
    expect((await command("validate", example.root)).exitCode).toBe(0);
  });

  it("validate refuses a file that does not replay on a clean database", async () => {
    const example = copyExample();
    example.append(
      "migrations/20990101000000_broken.sql",
      'ALTER TABLE "public"."invoices" ADD COLUMN "paid_at" timestamptz NULL;\n',
    );
    expect((await command("hash", example.root)).exitCode).toBe(0);
    const result = await command("validate", example.root);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      'from version "20990101000000": pq: relation "public.invoices" does not exist',
    );
  });
});

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatLint } from "./lint-format.ts";
import { openDevServer, resolveMigrateOptions } from "./migrate-options.ts";

const folder = mkdtempSync(join(tmpdir(), "migrate-options-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("resolveMigrateOptions", () => {
  it("defaults to the example app when there is no local stack file", () => {
    expect(resolveMigrateOptions({}, folder)).toEqual({
      stack: "local",
      stackFile: undefined,
      cwd: folder,
      dir: "examples/shop/migrations",
      drizzleConfig: "examples/shop/drizzle.config.ts",
      extraSql: [],
      extensions: [],
      schemas: [],
      verbose: false,
    });
  });

  it("reads the migration directory and dev extensions from Pulumi.<stack>.yaml, flags win", () => {
    writeFileSync(
      join(folder, "Pulumi.staging.yaml"),
      [
        "config:",
        "  atlas-rollout:environment: staging",
        "  atlas-rollout:databaseUrl:",
        "    secure: v1:abc",
        "  atlas-rollout:migrations:",
        "    dir: db/migrations",
        "  atlas-rollout:database:",
        "    schemas: [public, catalog]",
        "    devExtensions: [pg_trgm]",
        "",
      ].join("\n"),
    );
    const options = resolveMigrateOptions({ stack: "staging" }, folder);
    expect(options).toMatchObject({
      stack: "staging",
      stackFile: "Pulumi.staging.yaml",
      dir: "db/migrations",
      extensions: ["pg_trgm"],
      schemas: ["public", "catalog"],
    });
    expect(
      resolveMigrateOptions({ stack: "staging", dir: "other", "extra-sql": ["a.sql"] }, folder),
    ).toMatchObject({ dir: "other", extraSql: ["a.sql"] });
  });

  it("names the stack file that is missing or invalid", () => {
    expect(() => resolveMigrateOptions({ stack: "prod" }, folder)).toThrow(
      `Stack file Pulumi.prod.yaml not found in ${folder}. Create the stack or pass --dir and --drizzle-config instead of --stack.`,
    );
    writeFileSync(
      join(folder, "Pulumi.broken.yaml"),
      "config:\n  atlas-rollout:database:\n    devExtensions: pg_trgm\n",
    );
    expect(() => resolveMigrateOptions({ stack: "broken" }, folder)).toThrow(
      "Invalid stack configuration:\natlas-rollout:database.devExtensions:",
    );
  });
});

describe("openDevServer", () => {
  it("uses DEV_DATABASE_URL, else the server of DATABASE_URL", async () => {
    const dev = await openDevServer({
      DEV_DATABASE_URL: "postgres://dev:pw@db.internal:5432/postgres",
      DATABASE_URL: "postgres://app:pw@db.internal:5432/app",
    });
    expect([dev.url, dev.embedded]).toEqual(["postgres://dev:pw@db.internal:5432/postgres", false]);
    const same = await openDevServer({ DATABASE_URL: "postgres://app:pw@db.internal:5432/app" });
    expect([same.url, same.embedded]).toEqual([
      "postgres://app:pw@db.internal:5432/postgres",
      false,
    ]);
  });
});

describe("formatLint", () => {
  it("prints file:line, code and message per finding, then a summary", () => {
    expect(
      formatLint(
        [
          { name: "1_a.sql", text: "", diagnostics: [], error: undefined },
          {
            name: "2_b.sql",
            text: "",
            error: undefined,
            diagnostics: [
              {
                pos: 40,
                line: 2,
                code: "DS103",
                message: 'Dropping non-virtual column "carrier"',
                report: "destructive changes detected",
              },
            ],
          },
          { name: "3_c.sql", text: "", diagnostics: [], error: 'relation "x" does not exist' },
        ],
        "migrations",
      ),
    ).toEqual([
      'migrations/2_b.sql:2  DS103  Dropping non-virtual column "carrier"',
      'migrations/3_c.sql  error  relation "x" does not exist',
      "3 file(s) linted, 1 finding(s) in 1 file(s), 1 file(s) could not be linted.",
    ]);
  });
});

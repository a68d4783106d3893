/**
 * End to end: the real Migration resource (real Atlas lint on a real PostgreSQL database) under
 * the policy pack with the production config. A pending migration that drops a column is blocked
 * at preview and at rollout without touching the database, until a reviewer waives it.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { catalogSnapshot } from "../test/helpers/catalog.ts";
import { freshDatabase, TEST_SERVER_URL } from "../test/helpers/database.ts";
import { migrationDir, testStack, writeMigrations } from "../test/helpers/stack.ts";
import { POLICY_PACK_PATH, policyConfigPath } from "./location.ts";

const INIT = `CREATE TABLE "users" ("id" serial NOT NULL, "name" text NOT NULL, "email" text NULL, PRIMARY KEY ("id"));
`;
const DROP_EMAIL = `-- The address book moved to "contacts".
ALTER TABLE "users" DROP COLUMN "email";
`;
const DROP_EMAIL_FILE = "20240102000000_drop_email.sql";

const production = {
  policyPacks: [POLICY_PACK_PATH],
  policyPackConfigs: [policyConfigPath("production")],
};

const VIOLATION = [
  "- [mandatory] [severity: critical]  no-destructive-changes  (pulumi-nodejs:dynamic/atlas-rollout:Migration: app-migrations)",
  "          Prohibits migrations that drop a schema, table or column (Atlas DS101–DS103) unless a reviewer waived the finding.",
  `          DS103 in ${DROP_EMAIL_FILE} line 2: Dropping non-virtual column "email"`,
  '              ALTER TABLE "users" DROP COLUMN "email";',
].join("\n");

/** Columns of the application's tables (`public` schema). */
function columnsOf(snapshot: Awaited<ReturnType<typeof catalogSnapshot>>): string[] {
  return snapshot.columns
    .filter((column) => column.schema === "public")
    .map((column) => `${column.table}.${column.column}`);
}

describe("policy pack on a real rollout", () => {
  it("blocks dropping a column at preview and rollout until a reviewer waives it", async () => {
    const db = await freshDatabase("policy");
    const dir = await migrationDir({ "20240101000000_init.sql": INIT });
    const migrations = { dir };
    const stack = await testStack({
      databaseUrl: db.url,
      devDatabaseUrl: TEST_SERVER_URL,
      migrations,
    });
    await stack.up(production);

    await writeMigrations(dir, { [DROP_EMAIL_FILE]: DROP_EMAIL });
    const before = await catalogSnapshot(db.url);
    expect(columnsOf(before)).toEqual(["users.id", "users.name", "users.email"]);

    // Preview: non-zero exit with the violation, nothing written.
    await expect(stack.preview(production)).rejects.toThrow(VIOLATION);
    expect(await catalogSnapshot(db.url)).toEqual(before);

    // Rollout: refused by the same policy before anything runs.
    await expect(stack.up(production)).rejects.toThrow(VIOLATION);
    expect(await catalogSnapshot(db.url)).toEqual(before);

    // A reviewer waives DS103 for exactly this file content.
    const sha256 = createHash("sha256")
      .update(readFileSync(join(dir, DROP_EMAIL_FILE)))
      .digest("hex");
    await stack.stack.setConfig("atlas-rollout:migrations", {
      value: JSON.stringify({
        ...migrations,
        waivers: [
          {
            file: DROP_EMAIL_FILE,
            sha256,
            codes: ["DS103"],
            reason: "email moved to contacts in release 2024.01",
            approvedBy: "alice",
          },
        ],
      }),
    });

    const preview = await stack.preview(production);
    expect(preview.output).not.toContain("no-destructive-changes");
    expect(preview.output).toContain(
      [
        `          DS103 in ${DROP_EMAIL_FILE} line 2: Dropping non-virtual column "email"`,
        '              ALTER TABLE "users" DROP COLUMN "email";',
        "            waived by alice: email moved to contacts in release 2024.01",
      ].join("\n"),
    );
    expect(await catalogSnapshot(db.url)).toEqual(before);

    const up = await stack.up(production);
    expect(up.outputs.currentVersion).toBe("20240102000000");
    const after = await catalogSnapshot(db.url);
    expect(columnsOf(after)).toEqual(["users.id", "users.name"]);
    expect(after.revisions.map((row) => row.version)).toEqual(["20240101000000", "20240102000000"]);
  });
});

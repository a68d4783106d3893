import { describe, expect, it } from "vitest";
import { MIGRATION_RESOURCE_TYPE } from "../src/migration/plan.ts";
import {
  noBackwardIncompatibleChanges,
  noDataDependentChanges,
  noDestructiveChanges,
  noOtherLintFindings,
  waivedLintFindings,
} from "./lint-findings.ts";
import { fixtureFinding, fixturePlan, UNKNOWN, validate } from "./testing.ts";

const SHA = "3f0a1c9e3b1d4c6f8e2a7b5d9c0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a";

function migration(plan: unknown) {
  return { type: MIGRATION_RESOURCE_TYPE, props: { plan, migrationsDir: "migrations" } };
}

const dropColumn = fixtureFinding();
const notNull = fixtureFinding({
  line: 7,
  code: "MF103",
  analyzer: "data_depend",
  message:
    'Adding a non-nullable "text" column "name" will fail in case table "users" is not empty',
  statement: 'ALTER TABLE "users" ADD COLUMN "name" text NOT NULL;',
});
const rename = fixtureFinding({
  line: 9,
  code: "BC102",
  analyzer: "incompatible",
  message: 'Renaming column "mail" to "email"',
  statement: 'ALTER TABLE "users" RENAME COLUMN "mail" TO "email";',
});
const dropForeignKey = fixtureFinding({
  line: 11,
  code: "CD101",
  analyzer: "condrop",
  message: 'Dropping foreign-key constraint "users_org_fk"',
  statement: 'ALTER TABLE "users" DROP CONSTRAINT "users_org_fk";',
});
const everyFamily = fixturePlan({
  lint: { status: "ok", findings: [dropColumn, notNull, rename, dropForeignKey] },
});

function wayOut(fix: string, code: string, statementFile = "20240102000000_drop_email.sql") {
  return [
    `${fix} If the change is intended, either`,
    "  - waive exactly this version of the file in the stack config (atlas-rollout:migrations → waivers):",
    `      - file: ${statementFile}`,
    `        sha256: ${SHA}`,
    `        codes: [${code}]`,
    "        reason: <why this is safe>",
    "        approvedBy: <reviewer>",
    `  - or add \`-- atlas:nolint ${code}\` on the line above the statement, with a comment saying why, and run \`atlas migrate hash\`.`,
  ].join("\n");
}

describe("no-destructive-changes", () => {
  it("blocks a dropped column, naming file, line, statement, code and the ways out", async () => {
    expect(await validate(noDestructiveChanges, migration(everyFamily))).toEqual([
      [
        'DS103 in 20240102000000_drop_email.sql line 3: Dropping non-virtual column "email"',
        '    ALTER TABLE "users" DROP COLUMN "email";',
        wayOut("Fix the migration if the data must stay.", "DS103"),
      ].join("\n"),
    ]);
  });

  it("reports every destructive finding separately", async () => {
    const dropTable = fixtureFinding({
      line: 5,
      code: "DS102",
      message: 'Dropping table "legacy"',
      statement: 'DROP TABLE "legacy";',
    });
    const plan = fixturePlan({ lint: { status: "ok", findings: [dropColumn, dropTable] } });
    const reports = await validate(noDestructiveChanges, migration(plan));
    expect(reports.map((report) => report.split("\n")[0])).toEqual([
      'DS103 in 20240102000000_drop_email.sql line 3: Dropping non-virtual column "email"',
      'DS102 in 20240102000000_drop_email.sql line 5: Dropping table "legacy"',
    ]);
  });

  it("indents every line of a statement that spans lines", async () => {
    const statement = 'ALTER TABLE "users"\n  DROP COLUMN "email";';
    const plan = fixturePlan({ lint: { status: "ok", findings: [fixtureFinding({ statement })] } });
    const [report] = await validate(noDestructiveChanges, migration(plan));
    expect(report?.split("\n").slice(0, 3)).toEqual([
      'DS103 in 20240102000000_drop_email.sql line 3: Dropping non-virtual column "email"',
      '    ALTER TABLE "users"',
      '      DROP COLUMN "email";',
    ]);
  });

  it("does not block a waived finding", async () => {
    const waived = fixtureFinding({
      waivedBy: { reason: "email moved to contacts in 2024-01", approvedBy: "alice" },
    });
    const plan = fixturePlan({ lint: { status: "ok", findings: [waived] } });
    expect(await validate(noDestructiveChanges, migration(plan))).toEqual([]);
  });

  it("asks for the file's hash when the finding is in a file that is not pending", async () => {
    const plan = fixturePlan({ pending: [], lint: { status: "ok", findings: [dropColumn] } });
    const [report] = await validate(noDestructiveChanges, migration(plan));
    expect(report).toContain("        sha256: <sha256sum of 20240102000000_drop_email.sql>\n");
  });

  it("passes a clean plan and ignores other resource types", async () => {
    expect(await validate(noDestructiveChanges, migration(fixturePlan()))).toEqual([]);
    expect(
      await validate(noDestructiveChanges, {
        type: "pulumi-nodejs:dynamic:Resource",
        props: { plan: everyFamily },
      }),
    ).toEqual([]);
  });

  it("leaves a missing or unknown plan to require-lint-report instead of skipping it as advisory", async () => {
    expect(await validate(noDestructiveChanges, migration(undefined))).toEqual([]);
    expect(await validate(noDestructiveChanges, migration(UNKNOWN))).toEqual([]);
  });
});

describe("no-data-dependent-changes", () => {
  it("reports MF findings only", async () => {
    expect(await validate(noDataDependentChanges, migration(everyFamily))).toEqual([
      [
        'MF103 in 20240102000000_drop_email.sql line 7: Adding a non-nullable "text" column "name" will fail in case table "users" is not empty',
        '    ALTER TABLE "users" ADD COLUMN "name" text NOT NULL;',
        wayOut(
          "Make it safe for existing rows: add the column with a DEFAULT or backfill before SET NOT NULL; remove duplicates before adding a UNIQUE index.",
          "MF103",
        ),
      ].join("\n"),
    ]);
  });
});

describe("no-backward-incompatible-changes", () => {
  it("reports BC findings only", async () => {
    expect(await validate(noBackwardIncompatibleChanges, migration(everyFamily))).toEqual([
      [
        'BC102 in 20240102000000_drop_email.sql line 9: Renaming column "mail" to "email"',
        '    ALTER TABLE "users" RENAME COLUMN "mail" TO "email";',
        wayOut(
          "Keep the old name working while the old application version runs: add the new table or column, copy, switch the application, drop the old one in a later migration.",
          "BC102",
        ),
      ].join("\n"),
    ]);
  });
});

describe("no-other-lint-findings", () => {
  it("reports findings outside the DS, MF and BC families", async () => {
    expect(await validate(noOtherLintFindings, migration(everyFamily))).toEqual([
      [
        'CD101 in 20240102000000_drop_email.sql line 11: Dropping foreign-key constraint "users_org_fk"',
        '    ALTER TABLE "users" DROP CONSTRAINT "users_org_fk";',
        wayOut("Check whether the migration does what you meant.", "CD101"),
      ].join("\n"),
    ]);
  });
});

describe("waived-lint-findings", () => {
  it("lists each waived finding with approver and reason, and nothing else", async () => {
    const waived = fixtureFinding({
      waivedBy: { reason: "email moved to contacts in 2024-01", approvedBy: "alice" },
    });
    const plan = fixturePlan({ lint: { status: "ok", findings: [waived, notNull] } });
    expect(await validate(waivedLintFindings, migration(plan))).toEqual([
      [
        'DS103 in 20240102000000_drop_email.sql line 3: Dropping non-virtual column "email"',
        '    ALTER TABLE "users" DROP COLUMN "email";',
        "  waived by alice: email moved to contacts in 2024-01",
      ].join("\n"),
    ]);
  });
});

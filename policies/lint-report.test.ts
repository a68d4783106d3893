import { describe, expect, it } from "vitest";
import { MIGRATION_RESOURCE_TYPE } from "../src/migration/plan.ts";
import { requireLintReport } from "./lint-report.ts";
import { fixturePending, fixturePlan, UNKNOWN, validate } from "./testing.ts";

function migration(plan: unknown) {
  return { type: MIGRATION_RESOURCE_TYPE, props: { plan, migrationsDir: "migrations" } };
}

describe("require-lint-report", () => {
  it("passes a plan whose lint ran", async () => {
    expect(await validate(requireLintReport, migration(fixturePlan()))).toEqual([]);
  });

  it("passes a skipped lint when nothing is pending", async () => {
    const plan = fixturePlan({
      pending: [],
      lint: { status: "skipped", reason: "nothing pending", findings: [] },
    });
    expect(await validate(requireLintReport, migration(plan))).toEqual([]);
  });

  it("blocks a skipped lint while files are pending", async () => {
    const plan = fixturePlan({
      pending: [fixturePending("20240102000000_a.sql"), fixturePending("20240103000000_b.sql")],
      lint: { status: "skipped", reason: "lint disabled", findings: [] },
    });
    expect(await validate(requireLintReport, migration(plan))).toEqual([
      "Atlas lint was skipped (lint disabled) although 2 migration file(s) are pending: 20240102000000_a.sql, 20240103000000_b.sql. Pending files are not applied unchecked; enable lint for this stack and preview again.",
    ]);
  });

  it("blocks a failed lint with Atlas's reason", async () => {
    const plan = fixturePlan({
      lint: { status: "failed", reason: "dev database: connection refused", findings: [] },
    });
    expect(await validate(requireLintReport, migration(plan))).toEqual([
      "Atlas lint could not run on the pending migrations: dev database: connection refused. Fix the cause (for example an unreachable dev database) and preview again: pending files are not applied unchecked.",
    ]);
  });

  it("blocks a resource without a plan", async () => {
    expect(
      await validate(requireLintReport, {
        type: MIGRATION_RESOURCE_TYPE,
        props: { migrationsDir: "migrations" },
      }),
    ).toEqual([
      "The Migration resource has no `plan` in its inputs, so its lint results cannot be checked. The resource's provider computes the plan in `check`; make sure the policy pack and the Migration resource come from the same atlas-rollout version.",
    ]);
  });

  it("blocks a plan unknown during preview instead of downgrading to `can't run`", async () => {
    expect(await validate(requireLintReport, migration(UNKNOWN))).toEqual([
      "The migration plan is unknown during preview (plan depends on a value computed during the update), so its lint results cannot be checked before the rollout. Give the Migration resource inputs that are known at preview time (plain values or config, not outputs of resources created in the same update).",
    ]);
  });

  it("blocks a plan with an unknown part", async () => {
    const plan = { ...fixturePlan(), lint: UNKNOWN };
    expect(await validate(requireLintReport, migration(plan))).toEqual([
      "The migration plan is unknown during preview (plan.lint depends on a value computed during the update), so its lint results cannot be checked before the rollout. Give the Migration resource inputs that are known at preview time (plain values or config, not outputs of resources created in the same update).",
    ]);
  });

  it("blocks a malformed plan, naming the fields", async () => {
    const plan = { ...fixturePlan(), lint: { status: "done" } };
    expect(await validate(requireLintReport, migration(plan))).toEqual([
      [
        "The migration plan does not have the shape this policy pack expects (policy pack and Migration resource from different atlas-rollout versions?):",
        '  plan.lint.status: Invalid option: expected one of "ok"|"skipped"|"failed"',
        "  plan.lint.findings: Invalid input: expected array, received undefined",
      ].join("\n"),
    ]);
  });

  it("ignores other resource types", async () => {
    expect(
      await validate(requireLintReport, { type: "pulumi-nodejs:dynamic:Resource", props: {} }),
    ).toEqual([]);
  });
});

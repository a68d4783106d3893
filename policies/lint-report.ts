/**
 * "Lint must have run": a rollout whose lint results are missing, unknown or failed is reported,
 * never passed as if it were clean. (`@pulumi/policy` on its own would downgrade a rule that reads
 * an unknown value to an advisory "can't run during preview".)
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { MIGRATION_RESOURCE_TYPE } from "../src/migration/plan.ts";
import { readPlan } from "./migration-plan.ts";

/** Requires a known migration plan whose lint ran on every pending file. */
export const requireLintReport: ResourceValidationPolicy = {
  name: "require-lint-report",
  description:
    "Requires Atlas lint results for every pending migration file: a missing, unknown or failed lint blocks instead of passing unchecked.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: (args, reportViolation) => {
    if (args.type !== MIGRATION_RESOURCE_TYPE) return;
    const reading = readPlan(args.props);
    switch (reading.status) {
      case "missing":
        reportViolation(
          "The Migration resource has no `plan` in its inputs, so its lint results cannot be checked. " +
            "The resource's provider computes the plan in `check`; make sure the policy pack and the Migration resource come from the same atlas-rollout version.",
        );
        return;
      case "unknown":
        reportViolation(
          `The migration plan is unknown during preview (${reading.path} depends on a value computed during the update), so its lint results cannot be checked before the rollout. ` +
            "Give the Migration resource inputs that are known at preview time (plain values or config, not outputs of resources created in the same update).",
        );
        return;
      case "malformed":
        reportViolation(
          `The migration plan does not have the shape this policy pack expects (policy pack and Migration resource from different atlas-rollout versions?):\n  ${reading.problems.join("\n  ")}`,
        );
        return;
      case "known":
        break;
    }
    const { lint, pending } = reading.plan;
    if (lint.status === "failed") {
      reportViolation(
        `Atlas lint could not run on the pending migrations: ${lint.reason ?? "no reason given"}. ` +
          "Fix the cause (for example an unreachable dev database) and preview again: pending files are not applied unchecked.",
      );
    } else if (lint.status === "skipped" && pending.length > 0) {
      const files = pending.map((file) => file.name).join(", ");
      reportViolation(
        `Atlas lint was skipped (${lint.reason ?? "no reason given"}) although ${pending.length} migration file(s) are pending: ${files}. ` +
          "Pending files are not applied unchecked; enable lint for this stack and preview again.",
      );
    }
  },
};

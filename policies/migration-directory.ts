/**
 * Rules over the migration directory: it must be the one that was reviewed (atlas.sum), and every
 * file must run in order.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { migrationsDirOf, validateMigrationPlan } from "./migration-plan.ts";

const INTEGRITY_ADVICE = {
  mismatch:
    "A migration file was added, edited or removed without updating atlas.sum. Never edit a file that was already applied anywhere; if the change is new and reviewed, run `atlas migrate hash` and commit atlas.sum.",
  missing: "Run `atlas migrate hash` to create atlas.sum and commit it with the migration files.",
  invalid:
    "atlas.sum was edited by hand or damaged (a merge conflict?). Regenerate it with `atlas migrate hash` after checking the files.",
} as const;

/** Requires a valid atlas.sum and no migration file older than the database's current version. */
export const migrationDirectoryIntegrity: ResourceValidationPolicy = {
  name: "migration-directory-integrity",
  description:
    "Requires the migration directory to match its atlas.sum and prohibits files older than the database's current version that were never applied.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: validateMigrationPlan((plan, args, reportViolation) => {
    const dir = migrationsDirOf(args.props);
    const { integrity } = plan;
    if (integrity.status !== "valid") {
      const detail = integrity.message ? ` (${integrity.message})` : "";
      const problem = {
        mismatch: "atlas.sum does not match the files",
        missing: "atlas.sum is missing from",
        invalid: "atlas.sum is not a valid checksum file in",
      }[integrity.status];
      reportViolation(`${problem} ${dir}${detail}. ${INTEGRITY_ADVICE[integrity.status]}`);
    }
    for (const file of plan.outOfOrder) {
      reportViolation(
        `${file} in ${dir} is older than the database's current version ${plan.currentVersion ?? "(none)"} but was never applied: Atlas would skip it. ` +
          "Give it a version newer than the current one (rename the file, then run `atlas migrate hash`), or remove it if its changes are already in the database.",
      );
    }
  }),
};

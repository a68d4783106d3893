/**
 * Rules over the live database: its schema must be what the applied migration files produced.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { validateMigrationPlan } from "./migration-plan.ts";

const MAX_DIFF_CHARS = 2_000;

function abbreviate(sql: string): string {
  const trimmed = sql.trim();
  return trimmed.length > MAX_DIFF_CHARS
    ? `${trimmed.slice(0, MAX_DIFF_CHARS).trimEnd()}\n…`
    : trimmed;
}

interface DriftConfig {
  /** Also block when the drift check itself could not run. */
  readonly requireCheck?: boolean;
}

/** Prohibits rolling out onto a live schema that differs from the migration history. */
export const noSchemaDrift: ResourceValidationPolicy = {
  name: "no-schema-drift",
  description:
    "Prohibits rollouts onto a database whose live schema differs from what its applied migrations produce (changes made outside the migration history).",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: {
    properties: {
      requireCheck: {
        type: "boolean",
        default: false,
        description: "Also report a drift check that could not run (status `failed`).",
      },
    },
  },
  validateResource: validateMigrationPlan((plan, args, reportViolation) => {
    const { drift } = plan;
    if (drift.status === "drifted") {
      const diff = drift.diff
        ? ` SQL that would bring it back to the history:\n    ${abbreviate(drift.diff).replaceAll("\n", "\n    ")}`
        : "";
      reportViolation(
        "The live database schema differs from what its applied migrations produce (changed outside the migration history?). " +
          "Revert the manual change, or capture it in a new migration file, then preview again." +
          diff,
      );
    } else if (drift.status === "failed" && args.getConfig<DriftConfig>().requireCheck) {
      reportViolation(
        `The drift check could not run: ${drift.reason ?? "no reason given"}. Fix the cause and preview again.`,
      );
    }
  }),
};

/** Prohibits rollouts whose Drizzle schema has changes that no migration file contains. */
export const noUnplannedSchemaChanges: ResourceValidationPolicy = {
  name: "no-unplanned-schema-changes",
  description:
    "Prohibits rollouts while the Drizzle schema (schema.ts) describes changes that no migration file contains.",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: validateMigrationPlan((plan, _args, reportViolation) => {
    const { schemaDrift } = plan;
    if (schemaDrift.status !== "drifted") return;
    const diff = schemaDrift.diff
      ? ` The missing migration would contain:\n    ${abbreviate(schemaDrift.diff).replaceAll("\n", "\n    ")}`
      : "";
    reportViolation(
      "schema.ts changed but no migration was planned for it. Run `npm run db:migrate:plan -- <name>`, review and commit the new file (and atlas.sum), then preview again." +
        diff,
    );
  }),
};

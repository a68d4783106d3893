/**
 * Rules over Atlas lint findings in the pending migration files: one policy per family of Atlas
 * codes, plus one that lists waived findings so that a waiver never hides a change.
 *
 * Two ways to accept a finding on purpose:
 * - a waiver in the stack config (`atlas-rollout:migrations` → `waivers`): pinned to the file's
 *   SHA-256, shown in every preview by `waived-lint-findings`;
 * - `-- atlas:nolint <code>` above the statement in the file itself: Atlas drops the finding
 *   before it reaches the plan, so it is reviewed with the file and not shown again.
 * @see https://atlasgo.io/lint/analyzers
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type PolicyFinding, type PolicyPlan, validateMigrationPlan } from "./migration-plan.ts";

/** A policy over some lint findings. */
interface FindingRule {
  readonly name: string;
  readonly description: string;
  readonly enforcementLevel: "advisory" | "mandatory";
  readonly severity: "low" | "medium" | "high" | "critical";
  /** How to fix the migration when the change was not intended or can be made safe. */
  readonly fix: string;
}

/** A family of Atlas lint codes that one policy covers. */
interface FindingFamily extends FindingRule {
  /** Code prefix of the family (`DS` for DS101–DS103). */
  readonly prefix: string;
}

const FAMILIES = {
  destructive: {
    name: "no-destructive-changes",
    description:
      "Prohibits migrations that drop a schema, table or column (Atlas DS101–DS103) unless a reviewer waived the finding.",
    prefix: "DS",
    enforcementLevel: "mandatory",
    severity: "critical",
    fix: "Fix the migration if the data must stay.",
  },
  dataDependent: {
    name: "no-data-dependent-changes",
    description:
      "Prohibits migrations that can fail on existing rows (Atlas MF101–MF104: unique indexes, NOT NULL without default) unless a reviewer waived the finding.",
    prefix: "MF",
    enforcementLevel: "mandatory",
    severity: "high",
    fix: "Make it safe for existing rows: add the column with a DEFAULT or backfill before SET NOT NULL; remove duplicates before adding a UNIQUE index.",
  },
  backwardIncompatible: {
    name: "no-backward-incompatible-changes",
    description:
      "Prohibits renaming tables and columns that the running application still uses (Atlas BC101–BC102) unless a reviewer waived the finding.",
    prefix: "BC",
    enforcementLevel: "advisory",
    severity: "medium",
    fix: "Keep the old name working while the old application version runs: add the new table or column, copy, switch the application, drop the old one in a later migration.",
  },
} as const satisfies Record<string, FindingFamily>;

const KNOWN_PREFIXES: readonly string[] = Object.values(FAMILIES).map((family) => family.prefix);

/** `DS103 in 20240102_x.sql line 3: Dropping non-virtual column "email"` plus the statement. */
export function describeFinding(finding: PolicyFinding): string {
  const statement = finding.statement.replaceAll("\n", "\n    ");
  return `${finding.code} in ${finding.file} line ${finding.line}: ${finding.message}\n    ${statement}`;
}

/** The ways out of a blocking finding, with the exact waiver entry to paste. */
export function wayOut(finding: PolicyFinding, plan: PolicyPlan, fix: string): string {
  const sha256 =
    plan.pending.find((file) => file.name === finding.file)?.sha256 ??
    `<sha256sum of ${finding.file}>`;
  return [
    `${fix} If the change is intended, either`,
    "  - waive exactly this version of the file in the stack config (atlas-rollout:migrations → waivers):",
    `      - file: ${finding.file}`,
    `        sha256: ${sha256}`,
    `        codes: [${finding.code}]`,
    "        reason: <why this is safe>",
    "        approvedBy: <reviewer>",
    `  - or add \`-- atlas:nolint ${finding.code}\` on the line above the statement, with a comment saying why, and run \`atlas migrate hash\`.`,
  ].join("\n");
}

function findingPolicy(
  rule: FindingRule,
  covers: (finding: PolicyFinding) => boolean,
): ResourceValidationPolicy {
  return {
    name: rule.name,
    description: rule.description,
    enforcementLevel: rule.enforcementLevel,
    severity: rule.severity,
    validateResource: validateMigrationPlan((plan, _args, reportViolation) => {
      for (const finding of plan.lint.findings) {
        if (finding.waivedBy || !covers(finding)) continue;
        reportViolation(`${describeFinding(finding)}\n${wayOut(finding, plan, rule.fix)}`);
      }
    }),
  };
}

function familyPolicy(family: FindingFamily): ResourceValidationPolicy {
  return findingPolicy(family, (finding) => finding.code.startsWith(family.prefix));
}

/** DS101–DS103: dropping a schema, table or column. Mandatory by default. */
export const noDestructiveChanges = familyPolicy(FAMILIES.destructive);

/** MF101–MF104: changes that fail or lock on existing data. Mandatory by default. */
export const noDataDependentChanges = familyPolicy(FAMILIES.dataDependent);

/** BC101–BC102: renames that break the running application. Advisory by default. */
export const noBackwardIncompatibleChanges = familyPolicy(FAMILIES.backwardIncompatible);

/** Findings outside the families above (CD101 drop foreign key, PG1xx, …). Advisory by default. */
export const noOtherLintFindings = findingPolicy(
  {
    name: "no-other-lint-findings",
    description:
      "Prohibits other Atlas lint findings (for example CD101 dropping a foreign key) unless a reviewer waived them.",
    enforcementLevel: "advisory",
    severity: "low",
    fix: "Check whether the migration does what you meant.",
  },
  (finding) => !KNOWN_PREFIXES.some((prefix) => finding.code.startsWith(prefix)),
);

/** Lists waived findings with who approved them and why. Advisory: a waiver must not block. */
export const waivedLintFindings: ResourceValidationPolicy = {
  name: "waived-lint-findings",
  description:
    "Lists lint findings that a reviewer waived in the stack config, with who approved them and why, so a waiver never hides a change.",
  enforcementLevel: "advisory",
  severity: "low",
  validateResource: validateMigrationPlan((plan, _args, reportViolation) => {
    for (const finding of plan.lint.findings) {
      if (!finding.waivedBy) continue;
      const { approvedBy, reason } = finding.waivedBy;
      reportViolation(`${describeFinding(finding)}\n  waived by ${approvedBy}: ${reason}`);
    }
  }),
};

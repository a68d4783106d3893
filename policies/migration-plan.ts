/**
 * Reading the migration plan that the Migration resource's `check` puts into its inputs under
 * `plan` (see `src/migration/plan.ts`). Every migration rule goes through `readPlan`, so a plan
 * that is missing, unknown during preview or malformed is reported in one place
 * (`require-lint-report`) instead of being skipped silently by each rule.
 */
import type { ReportViolation, ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";
import { z } from "zod";
import { MIGRATION_RESOURCE_TYPE, type MigrationPlan } from "../src/migration/plan.ts";
import { isUnknownValueError, readIfKnown } from "./unknown-values.ts";

const finding = z.object({
  file: z.string(),
  line: z.number().int(),
  code: z.string(),
  analyzer: z.string(),
  message: z.string(),
  statement: z.string(),
  waivedBy: z.object({ reason: z.string(), approvedBy: z.string() }).optional(),
});

const driftReport = z.object({
  status: z.enum(["none", "drifted", "skipped", "failed"]),
  diff: z.string().optional(),
  reason: z.string().optional(),
});

/**
 * The part of the plan the policies read. Fields the policies rely on are checked; other fields
 * (and fields added to the plan later) are ignored.
 */
export const policyPlanSchema = z.object({
  currentVersion: z.string().nullable(),
  pending: z.array(z.object({ name: z.string(), sha256: z.string() }).readonly()).readonly(),
  outOfOrder: z.array(z.string()).readonly(),
  integrity: z.object({
    status: z.enum(["valid", "mismatch", "missing", "invalid"]),
    message: z.string().optional(),
  }),
  lint: z.object({
    status: z.enum(["ok", "skipped", "failed"]),
    reason: z.string().optional(),
    findings: z.array(finding.readonly()).readonly(),
  }),
  drift: driftReport,
  /** Plans written before the schema.ts check existed have none: treat as not configured. */
  schemaDrift: driftReport.default({ status: "skipped" }),
});

/** What the policies know about a plan. */
export type PolicyPlan = z.infer<typeof policyPlanSchema>;
/** One lint finding as the policies see it. */
export type PolicyFinding = PolicyPlan["lint"]["findings"][number];

// Compile-time guard: every plan the Migration resource can produce must pass this schema.
const contractFits: (plan: MigrationPlan) => z.input<typeof policyPlanSchema> = (plan) => plan;
void contractFits;

/** The plan of one Migration resource, as far as the policy can know it. */
export type PlanReading =
  | { readonly status: "known"; readonly plan: PolicyPlan }
  | { readonly status: "missing" }
  | { readonly status: "unknown"; readonly path: string }
  | { readonly status: "malformed"; readonly problems: readonly string[] };

/** Reads `props.plan`, telling a missing, unknown (preview) or malformed plan apart. */
export function readPlan(props: Record<string, unknown>): PlanReading {
  let raw: unknown;
  try {
    if (props.plan === undefined || props.plan === null) return { status: "missing" };
    // A deep copy through the analyzer's proxy reads every field, so any unknown inside the plan
    // surfaces here rather than halfway through a rule.
    raw = JSON.parse(JSON.stringify(props.plan));
  } catch (error) {
    if (isUnknownValueError(error)) {
      return { status: "unknown", path: error.props.map(String).join(".") };
    }
    throw error;
  }
  const parsed = policyPlanSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      status: "malformed",
      problems: parsed.error.issues.map(
        (issue) => `${["plan", ...issue.path.map(String)].join(".")}: ${issue.message}`,
      ),
    };
  }
  return { status: "known", plan: parsed.data };
}

/** The migration directory named in the resource inputs, for messages. */
export function migrationsDirOf(props: Record<string, unknown>): string {
  const dir = readIfKnown(() => props.migrationsDir);
  return typeof dir === "string" && dir !== "" ? dir : "the migration directory";
}

/** A check of one known, well-formed plan. */
export type PlanValidation = (
  plan: PolicyPlan,
  args: ResourceValidationArgs,
  reportViolation: ReportViolation,
) => void;

/**
 * Narrows a validation to Migration resources whose plan is known and well-formed. The other
 * cases are the job of `require-lint-report`, which reports them instead of passing silently.
 */
export function validateMigrationPlan(validate: PlanValidation): ResourceValidation {
  return (args, reportViolation) => {
    if (args.type !== MIGRATION_RESOURCE_TYPE) return;
    const reading = readPlan(args.props);
    if (reading.status === "known") validate(reading.plan, args, reportViolation);
  };
}

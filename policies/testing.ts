/**
 * Test support: runs a policy's `validateResource` the way the analyzer does (inputs behind the
 * preview-unknown proxy, config defaults from the policy's schema) and builds fixture plans.
 * Only tests import this module.
 */
import type {
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { LintFinding, MigrationPlan, PendingFile } from "../src/migration/plan.ts";
import { isUnknownValueError, unknownCheckingProxy } from "./unknown-values.ts";

/**
 * What the engine sends for an input that is unknown during preview (the "unknown string"
 * sentinel of `@pulumi/pulumi/runtime/rpc`, which `@pulumi/policy`'s proxy recognises).
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

class NotApplicable extends Error {}

/** Defaults of a policy's config schema, as the engine fills them in. */
export function configDefaults(
  policy: ResourceValidationPolicy | StackValidationPolicy,
): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
    if (typeof schema === "object" && schema.default !== undefined) defaults[key] = schema.default;
  }
  return defaults;
}

/** A resource as the analyzer receives it. */
export interface ResourceUnderTest {
  readonly type: string;
  readonly props: Record<string, unknown>;
  readonly name?: string;
  /** Policy config properties (merged over the schema defaults). */
  readonly config?: Record<string, unknown>;
}

/**
 * Runs `validateResource` of one policy and returns the reported messages in order. A read of an
 * unknown value is recorded as the analyzer reports it: `can't run during preview: …`.
 */
export async function validate(
  policy: ResourceValidationPolicy,
  resource: ResourceUnderTest,
): Promise<string[]> {
  const reports: string[] = [];
  const validations = [policy.validateResource ?? []].flat();
  for (const validation of validations) {
    const props = unknownCheckingProxy(structuredClone(resource.props));
    const name = resource.name ?? "fixture";
    const args: ResourceValidationArgs = {
      type: resource.type,
      props,
      urn: `urn:pulumi:test::atlas-rollout::${resource.type}::${name}`,
      name,
      opts: {
        protect: false,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
      },
      stackTags: new Map(),
      isType: (resourceClass) =>
        (resourceClass as unknown as { __pulumiType?: string }).__pulumiType === resource.type,
      asType: (resourceClass) =>
        (resourceClass as unknown as { __pulumiType?: string }).__pulumiType === resource.type
          ? // biome-ignore lint/suspicious/noExplicitAny: mirrors the analyzer, which returns the props untyped
            (props as any)
          : undefined,
      getConfig: <T extends object>() => ({ ...configDefaults(policy), ...resource.config }) as T,
      notApplicable: () => {
        throw new NotApplicable();
      },
    };
    try {
      await validation(args, (message) => reports.push(message));
    } catch (error) {
      if (error instanceof NotApplicable) continue;
      if (!isUnknownValueError(error)) throw error;
      reports.push(`can't run during preview: ${error.message}`);
    }
  }
  return reports;
}

/** A pending file of the fixture plans (hash of nothing in particular: fixtures only). */
export function fixturePending(name: string, sha256 = "a".repeat(64)): PendingFile {
  return {
    name,
    version: name.split("_")[0] ?? name,
    description: name.replace(/^\d+_?/, "").replace(/\.sql$/, ""),
    sha256,
    statements: [],
    txMode: "file",
    alreadyApplied: 0,
  };
}

/** A DS103 finding on line 3 of `20240102000000_drop_email.sql`, overridable. */
export function fixtureFinding(overrides: Partial<LintFinding> = {}): LintFinding {
  return {
    file: "20240102000000_drop_email.sql",
    line: 3,
    code: "DS103",
    analyzer: "destructive",
    message: 'Dropping non-virtual column "email"',
    statement: 'ALTER TABLE "users" DROP COLUMN "email";',
    ...overrides,
  };
}

/** A clean plan with one pending file (`20240102000000_drop_email.sql`), overridable. */
export function fixturePlan(overrides: Partial<MigrationPlan> = {}): MigrationPlan {
  return {
    currentVersion: "20240101000000",
    targetVersion: "20240102000000",
    baseline: null,
    pending: [
      fixturePending(
        "20240102000000_drop_email.sql",
        "3f0a1c9e3b1d4c6f8e2a7b5d9c0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a",
      ),
    ],
    outOfOrder: [],
    partial: null,
    integrity: { status: "valid" },
    lint: { status: "ok", findings: [] },
    drift: { status: "none" },
    schemaDrift: { status: "skipped" },
    ...overrides,
  };
}

/**
 * The policy pack on the real Pulumi engine: an inline program registers a test-only resource
 * with the Migration resource's type token and a fixture plan, and `preview` runs the pack with a
 * per-stack config, exactly as a rollout does.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MigrationPlan } from "../src/migration/plan.ts";
import { ensureToolchain } from "../src/toolchain/index.ts";
import { POLICY_PACK_PATH, type PolicyConfigName, policyConfigPath } from "./location.ts";
import { fixtureFinding, fixturePlan } from "./testing.ts";

// Self-contained methods: the provider is serialized into the state with its closure.
const fixtureProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    return { id: "fixture", outs: inputs };
  },
};

/** Test-only stand-in for the Migration resource: same type token, plan given by the test. */
class FixturePlanMigration extends pulumi.dynamic.Resource {
  constructor(name: string, plan: pulumi.Input<unknown>) {
    super(
      fixtureProvider,
      name,
      { plan, migrationsDir: "migrations" },
      {},
      "atlas-rollout",
      "Migration",
    );
  }
}

const laterValueProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    return { id: "fixture", outs: { value: inputs.seed } };
  },
};

/**
 * Test-only resource whose output `value` is unknown during the preview that creates it (a
 * preview only knows the outputs that equal inputs).
 */
class FixtureLaterValue extends pulumi.dynamic.Resource {
  declare readonly value: pulumi.Output<unknown>;
  constructor(name: string, seed: unknown) {
    super(
      laterValueProvider,
      name,
      { seed, value: undefined },
      {},
      "atlas-rollout",
      "FixtureLaterValue",
    );
  }
}

interface PreviewResult {
  readonly ok: boolean;
  readonly output: string;
}

let env: Record<string, string>;
let pulumiCommand: PulumiCommand;
const workDirs: string[] = [];

beforeAll(async () => {
  const toolchain = await ensureToolchain();
  env = { ...toolchain.env };
  pulumiCommand = await PulumiCommand.get({ root: dirname(toolchain.binDir) });
});

afterAll(() => {
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
});

/** Previews `program` on a fresh stack with the pack and one policy config. */
async function preview(program: () => void, config: PolicyConfigName): Promise<PreviewResult> {
  const workDir = mkdtempSync(join(tmpdir(), "atlas-rollout-policy-"));
  workDirs.push(workDir);
  const stack = await LocalWorkspace.createOrSelectStack(
    {
      stackName: config,
      projectName: "policy-fixture",
      program: async () => {
        program();
      },
    },
    {
      workDir,
      pulumiCommand,
      envVars: { ...env, PULUMI_BACKEND_URL: `file://${workDir}`, PULUMI_CONFIG_PASSPHRASE: "" },
    },
  );
  let output = "";
  try {
    await stack.preview({
      policyPacks: [POLICY_PACK_PATH],
      policyPackConfigs: [policyConfigPath(config)],
      onOutput: (text) => {
        output += text;
      },
    });
    return { ok: true, output };
  } catch {
    return { ok: false, output };
  }
}

function withFindings(...findings: MigrationPlan["lint"]["findings"]): MigrationPlan {
  return fixturePlan({ lint: { status: "ok", findings } });
}

const DROP_COLUMN_VIOLATION = [
  "        - [mandatory] [severity: critical]  no-destructive-changes  (pulumi-nodejs:dynamic/atlas-rollout:Migration: app-migrations)",
  "          Prohibits migrations that drop a schema, table or column (Atlas DS101–DS103) unless a reviewer waived the finding.",
  '          DS103 in 20240102000000_drop_email.sql line 3: Dropping non-virtual column "email"',
  '              ALTER TABLE "users" DROP COLUMN "email";',
].join("\n");

describe("policy pack on the Pulumi engine", () => {
  it("fails a production preview on a dropped column, printing the violation", async () => {
    const plan = withFindings(fixtureFinding());
    const result = await preview(() => {
      new FixturePlanMigration("app-migrations", plan);
    }, "production");
    expect(result.ok).toBe(false);
    expect(result.output).toContain(DROP_COLUMN_VIOLATION);
    expect(result.output).toContain(
      "sha256: 3f0a1c9e3b1d4c6f8e2a7b5d9c0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a",
    );
  });

  it("passes once a reviewer waived the finding, and still shows the waiver", async () => {
    const waived = fixtureFinding({
      waivedBy: { reason: "email moved to contacts in release 2024.01", approvedBy: "alice" },
    });
    const result = await preview(() => {
      new FixturePlanMigration("app-migrations", withFindings(waived));
    }, "production");
    expect(result.ok).toBe(true);
    expect(result.output).not.toContain("no-destructive-changes");
    expect(result.output).toContain(
      [
        "        - [advisory] [severity: low]  waived-lint-findings  (pulumi-nodejs:dynamic/atlas-rollout:Migration: app-migrations)",
        "          Lists lint findings that a reviewer waived in the stack config, with who approved them and why, so a waiver never hides a change.",
        '          DS103 in 20240102000000_drop_email.sql line 3: Dropping non-virtual column "email"',
        '              ALTER TABLE "users" DROP COLUMN "email";',
        "            waived by alice: email moved to contacts in release 2024.01",
      ].join("\n"),
    );
  });

  it("blocks a data-dependent change in production but only warns on a local stack", async () => {
    const notNull = fixtureFinding({
      code: "MF103",
      analyzer: "data_depend",
      message:
        'Adding a non-nullable "text" column "name" will fail in case table "users" is not empty',
      statement: 'ALTER TABLE "users" ADD COLUMN "name" text NOT NULL;',
    });
    const program = () => {
      new FixturePlanMigration("app-migrations", withFindings(notNull));
    };
    const production = await preview(program, "production");
    expect(production.ok).toBe(false);
    expect(production.output).toContain(
      "- [mandatory] [severity: high]  no-data-dependent-changes",
    );
    const local = await preview(program, "local");
    expect(local.ok).toBe(true);
    expect(local.output).toContain("- [advisory] [severity: high]  no-data-dependent-changes");
  });

  it("fails a production preview whose plan is unknown instead of skipping the checks", async () => {
    const result = await preview(() => {
      const later = new FixtureLaterValue("plan-source", withFindings(fixtureFinding()));
      new FixturePlanMigration("app-migrations", later.value);
    }, "production");
    expect(result.ok).toBe(false);
    expect(result.output).toContain("- [mandatory] [severity: high]  require-lint-report");
    expect(result.output).toContain(
      "The migration plan is unknown during preview (plan depends on a value computed during the update)",
    );
  });
});

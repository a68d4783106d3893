import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ConfigMap, EngineEvent, Stack } from "@pulumi/pulumi/automation/index.js";
import { rolloutProgram } from "../../infra/program.ts";
import { migrateHash } from "../../src/atlas/index.ts";
import type { MigrationPlan } from "../../src/migration/plan.ts";
import { recoverInterruptedRun } from "../../src/stack/recover.ts";
import { openStack, planCollector } from "../../src/stack/workspace.ts";
import { ensureToolchain } from "../../src/toolchain/index.ts";

/** Passphrase of test stacks (their state lives in a temporary folder). */
export const TEST_PASSPHRASE = "test-passphrase";

/** Writes migration files into a new temporary directory and hashes it with the real Atlas. */
export async function migrationDir(files: Record<string, string>): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "migrations-"));
  await writeMigrations(dir, files);
  return dir;
}

/** Adds or replaces migration files and re-hashes the directory. */
export async function writeMigrations(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const { atlas } = await ensureToolchain();
  await migrateHash({ atlasPath: atlas.path, cwd: dir }, { dir });
}

/** Copies a migration directory (e.g. the example's) into a temporary one. */
export function copyDir(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), "migrations-"));
  cpSync(source, dir, { recursive: true });
  return dir;
}

export interface TestStackOptions {
  readonly databaseUrl: string;
  readonly devDatabaseUrl: string;
  readonly migrations: Record<string, unknown>;
  readonly database?: Record<string, unknown>;
  readonly extraConfig?: ConfigMap;
  readonly envVars?: Record<string, string>;
  /** Reopen the stack folder of an earlier testStack (same state backend). */
  readonly root?: string;
}

/** A stack on the real engine with a local file backend in a temporary folder. */
export interface TestStack {
  readonly stack: Stack;
  readonly root: string;
  readonly stateDir: string;
  /** Runs a preview; returns the plan, the printed output and the summary. */
  preview(options?: { policyPacks?: string[]; policyPackConfigs?: string[] }): Promise<{
    plan: MigrationPlan | undefined;
    output: string;
    changeSummary: Record<string, number>;
  }>;
  /** Runs an update; returns outputs, printed output and resource changes. */
  up(options?: { policyPacks?: string[]; policyPackConfigs?: string[] }): Promise<{
    outputs: Record<string, unknown>;
    output: string;
    changes: Record<string, number>;
  }>;
  /** Every file of the state backend, concatenated. */
  stateText(): string;
}

function readAll(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), "utf8"))
    .join("\n");
}

/** Creates a test stack named `test` running the real program. */
export async function testStack(options: TestStackOptions): Promise<TestStack> {
  const toolchain = await ensureToolchain();
  const root = options.root ?? mkdtempSync(join(tmpdir(), "stack-"));
  const stateDir = join(root, "state");
  mkdirSync(stateDir, { recursive: true });
  const stack = await openStack(toolchain, {
    stackName: "test",
    workDir: join(root, "work"),
    backendUrl: `file://${stateDir}`,
    passphrase: TEST_PASSPHRASE,
    program: rolloutProgram({
      databaseUrl: options.databaseUrl,
      devDatabaseUrl: options.devDatabaseUrl,
    }),
    config: {
      "atlas-rollout:environment": { value: "local" },
      "atlas-rollout:migrations": { value: JSON.stringify(options.migrations) },
      "atlas-rollout:database": { value: JSON.stringify(options.database ?? {}) },
      ...options.extraConfig,
    },
  });
  if (options.envVars) {
    for (const [key, value] of Object.entries(options.envVars)) {
      stack.workspace.envVars[key] = value;
    }
  }
  return {
    stack,
    root,
    stateDir,
    async preview(policy = {}) {
      const collected = planCollector();
      let output = "";
      await recoverInterruptedRun(stack, (line) => {
        output += `${line}\n`;
      });
      const result = await stack.preview({
        ...policy,
        onEvent: (event: EngineEvent) => collected.onEvent(event),
        onOutput: (text: string) => {
          output += text;
        },
      });
      return {
        plan: [...collected.plans.values()][0],
        output: output + result.stdout + result.stderr,
        changeSummary: result.changeSummary as Record<string, number>,
      };
    },
    async up(policy = {}) {
      let output = "";
      await recoverInterruptedRun(stack, (line) => {
        output += `${line}\n`;
      });
      const result = await stack.up({
        ...policy,
        onOutput: (text: string) => {
          output += text;
        },
      });
      const outputs: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(result.outputs)) outputs[key] = value.value;
      return {
        outputs,
        output: output + result.stdout + result.stderr,
        changes: (result.summary.resourceChanges ?? {}) as Record<string, number>,
      };
    },
    stateText: () => readAll(stateDir),
  };
}

/** Outputs the state records for the Migration resource (what Pulumi believes). */
export async function recordedMigration(
  stack: Stack,
): Promise<Record<string, unknown> | undefined> {
  const deployment = await stack.exportStack();
  const resources = (deployment.deployment?.resources ?? []) as {
    type: string;
    outputs?: Record<string, unknown>;
  }[];
  return resources.find(
    (resource) => resource.type === "pulumi-nodejs:dynamic/atlas-rollout:Migration",
  )?.outputs;
}

/** A wrapper in front of the real Atlas that records each argv line it is started with. */
export async function recordingAtlas(): Promise<{ path: string; log: string }> {
  const { atlas } = await ensureToolchain();
  const dir = mkdtempSync(join(tmpdir(), "recorder-"));
  const log = join(dir, "argv.log");
  const path = join(dir, "atlas");
  writeFileSync(path, `#!/bin/sh\nprintf '%s\\n' "$*" >> "${log}"\nexec "${atlas.path}" "$@"\n`, {
    mode: 0o755,
  });
  writeFileSync(log, "");
  return { path, log };
}

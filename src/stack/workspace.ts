import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  type ConfigMap,
  type EngineEvent,
  LocalWorkspace,
  PulumiCommand,
  type PulumiFn,
  type Stack,
} from "@pulumi/pulumi/automation/index.js";
import { parse } from "yaml";
import { MIGRATION_RESOURCE_TYPE, type MigrationPlan } from "../migration/plan.ts";
import { projectRoot, type Toolchain } from "../toolchain/index.ts";

/** Project name in Pulumi.yaml. */
export const PROJECT_NAME = "atlas-rollout";

/** Everything needed to open a stack with an inline program and a local or remote backend. */
export interface StackOptions {
  readonly stackName: string;
  /** Folder holding Pulumi.yaml and Pulumi.<stack>.yaml. */
  readonly workDir: string;
  /** State backend, e.g. `file:///abs/state`. */
  readonly backendUrl: string;
  readonly passphrase: string;
  readonly program: PulumiFn;
  /** Config applied before each run (values are strings; objects as JSON). */
  readonly config?: ConfigMap;
}

/** Opens (creating if needed) a stack that runs `program` through the pinned Pulumi CLI. */
export async function openStack(toolchain: Toolchain, options: StackOptions): Promise<Stack> {
  mkdirSync(options.workDir, { recursive: true });
  if (options.backendUrl.startsWith("file://")) {
    mkdirSync(options.backendUrl.slice("file://".length), { recursive: true });
  }
  const projectFile = join(options.workDir, "Pulumi.yaml");
  if (!existsSync(projectFile)) copyFileSync(join(projectRoot, "Pulumi.yaml"), projectFile);
  const pulumiCommand = await PulumiCommand.get({
    root: join(toolchain.binDir, ".."),
    skipVersionCheck: true,
  });
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: options.stackName, projectName: PROJECT_NAME, program: options.program },
    {
      workDir: options.workDir,
      pulumiCommand,
      envVars: {
        ...toolchain.env,
        PULUMI_BACKEND_URL: options.backendUrl,
        PULUMI_CONFIG_PASSPHRASE: options.passphrase,
        ATLAS_ROLLOUT_ROOT: projectRoot,
      },
    },
  );
  if (options.config) await stack.setAllConfig(options.config);
  return stack;
}

/**
 * Reads the non-secret `config:` of a committed `Pulumi.<stack>.yaml` as a ConfigMap (objects
 * become JSON, as the Pulumi CLI hands them to programs). Secure values are skipped.
 */
export function committedConfig(stackName: string): ConfigMap {
  const file = join(projectRoot, `Pulumi.${stackName}.yaml`);
  if (!existsSync(file)) return {};
  const document = (parse(readFileSync(file, "utf8")) ?? {}) as {
    config?: Record<string, unknown>;
  };
  const config: ConfigMap = {};
  for (const [key, value] of Object.entries(document.config ?? {})) {
    if (value && typeof value === "object" && "secure" in value) continue;
    config[key] = { value: typeof value === "string" ? value : JSON.stringify(value) };
  }
  return config;
}

/** Returns a per-project secret passphrase for local stacks, creating it (0600) on first use. */
export function localPassphrase(stateDir: string): string {
  const file = join(stateDir, "passphrase");
  if (!existsSync(file)) {
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(file, crypto.randomUUID(), { mode: 0o600 });
  }
  return readFileSync(file, "utf8").trim();
}

/** Collects the migration plans that `check` computed, from the engine's events. */
export function planCollector(): {
  onEvent: (event: EngineEvent) => void;
  plans: Map<string, MigrationPlan>;
} {
  const plans = new Map<string, MigrationPlan>();
  return {
    plans,
    onEvent(event) {
      const metadata = event.resourcePreEvent?.metadata;
      if (metadata?.type !== MIGRATION_RESOURCE_TYPE) return;
      const plan = metadata.new?.inputs?.plan as MigrationPlan | undefined;
      if (plan && typeof plan === "object")
        plans.set(metadata.urn.split("::").at(-1) ?? metadata.urn, plan);
    },
  };
}

import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Stack } from "@pulumi/pulumi/automation/index.js";
import { rolloutProgram } from "../../infra/program.ts";
import { POLICY_PACK_PATH, policyConfigPath } from "../../policies/location.ts";
import { parsePostgresUrl } from "../db/url.ts";
import { projectRoot, type Toolchain } from "../toolchain/index.ts";
import { localDatabases, openLocalStack } from "./local.ts";
import { committedConfig, openStack } from "./workspace.ts";

/** A stack opened for one command, with what to run it with and what to clean up. */
export interface OpenedStack {
  readonly name: string;
  readonly stack: Stack;
  /** Human-readable target (no credentials), when known before running. */
  readonly target: string | undefined;
  readonly policyPacks: string[];
  readonly policyPackConfigs: string[];
  close(): Promise<void>;
}

export interface PolicyChoice {
  /** Policy pack path (default: this project's pack). */
  readonly pack?: string;
  /** Policy config file (default: `policies/config/<environment>.json`). */
  readonly config?: string;
  /** Run without policies (not allowed for production). */
  readonly skip?: boolean;
}

/**
 * A policy pack folder (as `pulumi preview --policy-pack policies` takes it) becomes its
 * executable launcher `analyzer.js`: without `pulumi-language-nodejs` the engine can only start
 * a pack that is an executable file.
 */
export function packLauncher(pack: string): string {
  const path = resolve(projectRoot, pack);
  if (existsSync(path) && statSync(path).isDirectory()) {
    const launcher = join(path, "analyzer.js");
    if (!existsSync(launcher)) {
      throw new Error(
        `--policy-pack ${pack}: the folder has no analyzer.js launcher; pass the pack's executable.`,
      );
    }
    return launcher;
  }
  if (!existsSync(path)) throw new Error(`--policy-pack ${pack}: no such file or folder.`);
  return path;
}

function environmentOf(stackName: string): "local" | "staging" | "production" {
  const value = committedConfig(stackName)["atlas-rollout:environment"]?.value;
  if (value === "local" || value === "staging" || value === "production") return value;
  throw new Error(
    `Pulumi.${stackName}.yaml: atlas-rollout:environment must be local, staging or production (found ${value ?? "nothing"}).`,
  );
}

function passphraseFromEnv(env: NodeJS.ProcessEnv): string {
  if (env.PULUMI_CONFIG_PASSPHRASE !== undefined) return env.PULUMI_CONFIG_PASSPHRASE;
  if (env.PULUMI_CONFIG_PASSPHRASE_FILE)
    return readFileSync(env.PULUMI_CONFIG_PASSPHRASE_FILE, "utf8").trim();
  throw new Error(
    "Set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) to the stack's passphrase; in CI it is an environment secret.",
  );
}

/**
 * Opens a stack by name. `local` runs against the embedded PostgreSQL (or DATABASE_URL) with a
 * private state folder; every other stack uses `Pulumi.<name>.yaml` in the project, the backend
 * in PULUMI_BACKEND_URL and the passphrase from the environment.
 */
export async function openNamedStack(
  name: string,
  toolchain: Toolchain,
  policy: PolicyChoice,
  progress: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<OpenedStack> {
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new Error(`--stack: "${name}" is not a stack name`);
  if (name !== "local" && !existsSync(join(projectRoot, `Pulumi.${name}.yaml`))) {
    throw new Error(
      `--stack: there is no Pulumi.${name}.yaml in the project (local, staging, production exist).`,
    );
  }
  const environment = environmentOf(name);
  if (policy.skip && environment === "production") {
    throw new Error("--no-policy is not allowed for a production stack.");
  }
  const policyPacks = policy.skip ? [] : [packLauncher(policy.pack ?? POLICY_PACK_PATH)];
  const policyPackConfigs = policy.skip
    ? []
    : [policy.config ? resolve(projectRoot, policy.config) : policyConfigPath(environment)];
  if (name === "local") {
    const databases = await localDatabases(env, progress);
    const target = parsePostgresUrl(databases.databaseUrl);
    return {
      name,
      stack: await openLocalStack(toolchain, databases),
      target: `${target.host}:${target.port}/${target.database}${databases.embedded ? " (embedded PostgreSQL)" : ""}`,
      policyPacks,
      policyPackConfigs,
      close: async () => {
        await databases.embedded?.stop();
      },
    };
  }
  const backendUrl = env.PULUMI_BACKEND_URL;
  if (!backendUrl) {
    throw new Error(
      `Set PULUMI_BACKEND_URL to the state backend of stack ${name} (e.g. s3://bucket/prefix or file:///path); in CI it is an environment secret.`,
    );
  }
  const stack = await openStack(toolchain, {
    stackName: name,
    workDir: projectRoot,
    backendUrl,
    passphrase: passphraseFromEnv(env),
    program: rolloutProgram(),
  });
  return { name, stack, target: undefined, policyPacks, policyPackConfigs, close: async () => {} };
}

/**
 * Where the policy pack and its per-stack configs are, for code that runs previews and rollouts
 * (Automation API `policyPacks` / `policyPackConfigs`). Not loaded by the pack itself.
 */
import { fileURLToPath } from "node:url";

/**
 * Path to pass as the policy pack. It is the pack's executable launcher, which the engine starts
 * directly; the pack directory itself would need the `pulumi-language-nodejs` plugin.
 */
export const POLICY_PACK_PATH = fileURLToPath(new URL("./analyzer.js", import.meta.url));

/** The stack kinds that have a policy config. */
export type PolicyConfigName = "local" | "staging" | "production";

/** Path of the policy config (enforcement levels and options) for one kind of stack. */
export function policyConfigPath(name: PolicyConfigName): string {
  return fileURLToPath(new URL(`./config/${name}.json`, import.meta.url));
}

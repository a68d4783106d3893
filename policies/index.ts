/**
 * The atlas-rollout policy pack. This module only builds the pack; each rule family lives in its
 * own module (see `rules.ts`). Enforcement per stack comes from `config/<stack>.json`, passed as
 * the pack's config, never from the stack name.
 *
 * @example
 * pulumi preview --policy-pack policies/analyzer.js --policy-pack-config policies/config/production.json
 */
import { PolicyPack } from "@pulumi/policy";
import { RULES } from "./rules.ts";

new PolicyPack("atlas-rollout", {
  description:
    "Blocks unsafe PostgreSQL schema rollouts: destructive or data-dependent Atlas lint findings, a tampered migration directory, schema drift, missing lint results and unprotected production environments.",
  policies: RULES,
});

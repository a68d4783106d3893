import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type PolicyConfigName, policyConfigPath } from "./location.ts";
import { RULES } from "./rules.ts";

type Level = "advisory" | "mandatory" | "remediate" | "disabled";

function readConfig(name: PolicyConfigName): Record<string, unknown> {
  return JSON.parse(readFileSync(policyConfigPath(name), "utf8"));
}

/** The level the engine applies: the config file's, else the policy's default. */
function effectiveLevels(config: Record<string, unknown>): Record<string, Level | undefined> {
  return Object.fromEntries(
    RULES.map((rule) => {
      const entry = config[rule.name];
      const configured =
        typeof entry === "string"
          ? entry
          : (entry as { enforcementLevel?: string } | undefined)?.enforcementLevel;
      return [rule.name, (configured ?? rule.enforcementLevel) as Level | undefined];
    }),
  );
}

const NAMES: readonly PolicyConfigName[] = ["local", "staging", "production"];

describe("policy configs", () => {
  it.each(NAMES)("%s.json names only rules of the pack and options of their schemas", (name) => {
    const config = readConfig(name);
    const rules = new Map(RULES.map((rule) => [rule.name, rule]));
    for (const [policyName, entry] of Object.entries(config)) {
      // The engine silently ignores a misspelt rule name: catch it here.
      expect(rules.has(policyName), `unknown rule "${policyName}"`).toBe(true);
      if (typeof entry === "string") continue;
      const { enforcementLevel: _, ...options } = entry as Record<string, unknown>;
      const known = Object.keys(rules.get(policyName)?.configSchema?.properties ?? {});
      for (const option of Object.keys(options)) {
        expect(known, `${policyName}.${option}`).toContain(option);
      }
    }
  });

  it("enforces what the rollout promises, per stack", () => {
    expect(
      Object.fromEntries(NAMES.map((name) => [name, effectiveLevels(readConfig(name))])),
    ).toEqual({
      local: {
        "require-lint-report": "advisory",
        "migration-directory-integrity": "mandatory",
        "no-destructive-changes": "mandatory",
        "no-data-dependent-changes": "advisory",
        "no-backward-incompatible-changes": "advisory",
        "no-other-lint-findings": "advisory",
        "waived-lint-findings": "advisory",
        "no-schema-drift": "advisory",
        "no-unplanned-schema-changes": "advisory",
        "require-protected-production-environment": "mandatory",
        "no-database-url-in-variables": "mandatory",
      },
      staging: {
        "require-lint-report": "advisory",
        "migration-directory-integrity": "mandatory",
        "no-destructive-changes": "mandatory",
        "no-data-dependent-changes": "advisory",
        "no-backward-incompatible-changes": "advisory",
        "no-other-lint-findings": "advisory",
        "waived-lint-findings": "advisory",
        "no-schema-drift": "advisory",
        "no-unplanned-schema-changes": "mandatory",
        "require-protected-production-environment": "mandatory",
        "no-database-url-in-variables": "mandatory",
      },
      production: {
        "require-lint-report": "mandatory",
        "migration-directory-integrity": "mandatory",
        "no-destructive-changes": "mandatory",
        "no-data-dependent-changes": "mandatory",
        "no-backward-incompatible-changes": "advisory",
        "no-other-lint-findings": "advisory",
        "waived-lint-findings": "advisory",
        "no-schema-drift": "mandatory",
        "no-unplanned-schema-changes": "mandatory",
        "require-protected-production-environment": "mandatory",
        "no-database-url-in-variables": "mandatory",
      },
    });
  });

  it("defaults to production's strictness when a stack passes no config", () => {
    expect(effectiveLevels({})).toEqual(effectiveLevels(readConfig("production")));
  });
});

describe("rules", () => {
  it("have unique kebab-case names and imperative descriptions", () => {
    const names = RULES.map((rule) => rule.name);
    expect(new Set(names).size).toBe(names.length);
    for (const rule of RULES) {
      expect(rule.name).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(rule.description).toMatch(/^(Prohibits|Requires|Lists) /);
    }
  });
});

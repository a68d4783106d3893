import { z } from "zod";
import { type GithubSettings, githubSettings } from "./github.ts";
import {
  CONFIG_NAMESPACE,
  type DatabaseSettings,
  type DesiredStateSettings,
  databaseSettings,
  describeIssues,
  desiredStateSettings,
  type MigrationSettings,
  migrationSettings,
} from "./schema.ts";

/** The environments a stack can stand for, in rollout order. */
export const ENVIRONMENTS = ["local", "staging", "production"] as const;

/** What a stack stands for: a developer's database, the staging database or production. */
export type Environment = (typeof ENVIRONMENTS)[number];

/** `atlas-rollout:environment` — which environment this stack rolls out to. */
export const environmentSetting = z.enum(ENVIRONMENTS, {
  error: (issue) =>
    issue.input === undefined
      ? `is required: run \`pulumi config set ${CONFIG_NAMESPACE}:environment <${ENVIRONMENTS.join("|")}>\``
      : `must be one of ${ENVIRONMENTS.join(", ")}`,
});

/** Config keys holding secrets: read them with `config.requireSecret`, never from here. */
export const SECRET_CONFIG_KEYS = ["databaseUrl", "devDatabaseUrl"] as const;

/** Every `atlas-rollout:*` key a stack may set; anything else is reported as a typo. */
export const STACK_CONFIG_KEYS = [
  "environment",
  "database",
  "migrations",
  "desiredState",
  "github",
  ...SECRET_CONFIG_KEYS,
] as const;

/** `atlas-rollout:github` after defaults that depend on the environment are applied. */
export type GithubEnvironmentSettings = Omit<
  GithubSettings,
  "environment" | "previewEnvironment"
> & {
  /** GitHub environment the rollout job runs in. */
  readonly environment: string;
  /** GitHub environment the pull-request preview job runs in, if any. */
  readonly previewEnvironment: string | undefined;
};

/** The validated, non-secret settings of one stack. */
export interface StackSettings {
  readonly environment: Environment;
  readonly database: DatabaseSettings;
  readonly migrations: MigrationSettings;
  /** Absent when the stack does not check schema.ts against the migrations. */
  readonly desiredState: DesiredStateSettings | undefined;
  /** Absent when the stack declares no GitHub environment (always for `local`). */
  readonly github: GithubEnvironmentSettings | undefined;
}

/** Invalid stack configuration; `problems` holds one `<config key>: <message>` line per mistake. */
export class StackConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid stack configuration:\n${problems.join("\n")}`);
    this.name = "StackConfigError";
    this.problems = problems;
  }
}

/** Strips the `atlas-rollout:` namespace; keys of other namespaces (`github:owner`) are dropped. */
function ownKeys(config: Record<string, unknown>): Map<string, unknown> {
  const own = new Map<string, unknown>();
  for (const [key, value] of Object.entries(config)) {
    const separator = key.indexOf(":");
    if (separator === -1) own.set(key, value);
    else if (key.slice(0, separator) === CONFIG_NAMESPACE) own.set(key.slice(separator + 1), value);
  }
  return own;
}

function parse<T extends z.ZodType>(
  key: string,
  schema: T,
  value: unknown,
  problems: string[],
): z.infer<T> | undefined {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  problems.push(...describeIssues(key, result.error, schema).split("\n"));
  return undefined;
}

/**
 * Parses an object-valued key. Pulumi hands structured config to programs as JSON text
 * (`pulumi.runtime.allConfig()`), while tests pass objects: accept both.
 */
function parseStructured<T extends z.ZodType>(
  key: string,
  schema: T,
  value: unknown,
  problems: string[],
): z.infer<T> | undefined {
  let decoded = value;
  if (typeof value === "string") {
    try {
      decoded = JSON.parse(value);
    } catch {
      problems.push(
        `${CONFIG_NAMESPACE}:${key}: must be an object (a YAML mapping under the key in Pulumi.<stack>.yaml)`,
      );
      return undefined;
    }
  }
  return parse(key, schema, decoded, problems);
}

/** Rules that depend on the environment: what production must have, what local must not. */
function environmentRules(environment: Environment, github: GithubSettings | undefined): string[] {
  const key = `${CONFIG_NAMESPACE}:github`;
  if (!github) return [];
  if (environment === "local") {
    return [`${key}: a local stack has no GitHub environment; remove this key`];
  }
  if (environment !== "production") return [];
  const problems: string[] = [];
  if (github.reviewers.users.length + github.reviewers.teams.length === 0) {
    problems.push(
      `${key}.reviewers: production needs at least one required reviewer (users or teams)`,
    );
  }
  if (github.deploymentBranches.policy === "all") {
    problems.push(
      `${key}.deploymentBranches: production must limit who deploys: use {"policy":"protected"} or {"policy":"custom","branches":["main"]}`,
    );
  }
  return problems;
}

function resolveGithub(
  environment: Environment,
  github: GithubSettings,
): GithubEnvironmentSettings {
  const name = github.environment ?? environment;
  const preview = github.previewEnvironment ?? `${name}-preview`;
  return {
    ...github,
    environment: name,
    previewEnvironment: preview === false ? undefined : preview,
  };
}

/**
 * Validates a stack's configuration and returns its non-secret settings. Accepts the raw config
 * object with or without the `atlas-rollout:` prefix (other namespaces are ignored), with
 * structured values as objects or as JSON text, so both of these work:
 *
 * ```ts
 * const settings = loadStackSettings(pulumi.runtime.allConfig());
 * const settings = loadStackSettings({ environment: "staging", migrations: { dir: "migrations" } });
 * ```
 *
 * Throws a {@link StackConfigError} listing every mistake, each naming its exact key.
 */
export function loadStackSettings(config: Record<string, unknown>): StackSettings {
  const own = ownKeys(config);
  const problems: string[] = [];
  for (const key of own.keys()) {
    if (!(STACK_CONFIG_KEYS as readonly string[]).includes(key)) {
      problems.push(
        `${CONFIG_NAMESPACE}:${key}: unknown key (allowed: ${STACK_CONFIG_KEYS.join(", ")})`,
      );
    }
  }
  const environment = parse("environment", environmentSetting, own.get("environment"), problems);
  const database = parseStructured(
    "database",
    databaseSettings,
    own.get("database") ?? {},
    problems,
  );
  const migrations = parseStructured(
    "migrations",
    migrationSettings,
    own.get("migrations") ?? {},
    problems,
  );
  const rawDesired = own.get("desiredState");
  const desiredState =
    rawDesired === undefined
      ? undefined
      : parseStructured("desiredState", desiredStateSettings, rawDesired, problems);
  const rawGithub = own.get("github");
  const github =
    rawGithub === undefined
      ? undefined
      : parseStructured("github", githubSettings, rawGithub, problems);
  if (environment) problems.push(...environmentRules(environment, github));
  if (problems.length > 0 || !environment || !database || !migrations) {
    throw new StackConfigError(problems);
  }
  return {
    environment,
    database,
    migrations,
    desiredState,
    github: github ? resolveGithub(environment, github) : undefined,
  };
}

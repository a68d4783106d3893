/**
 * Declares the GitHub environments a stack's workflows run in. The one entry point for the
 * program is {@link declareGithubEnvironment}:
 *
 * ```ts
 * import * as pulumi from "@pulumi/pulumi";
 * import { declareGithubEnvironment, githubSecretValues } from "./github.ts";
 * import { loadStackSettings } from "../stacks/settings.ts";
 *
 * const settings = loadStackSettings(pulumi.runtime.allConfig());
 * declareGithubEnvironment(settings, githubSecretValues(new pulumi.Config()));
 * ```
 *
 * Running it needs the `github` provider plugin and a `GITHUB_TOKEN` with administration
 * rights on the repository; see docs/environments.md.
 */
import { readFileSync } from "node:fs";
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { PUBLISHED_SECRET_NAMES, type PublishedSecret } from "../stacks/github.ts";
import { CONFIG_NAMESPACE } from "../stacks/schema.ts";
import type { GithubEnvironmentSettings, StackSettings } from "../stacks/settings.ts";
import { GithubEnvironment } from "./github-environment.ts";

/** Values of the secrets a GitHub environment may publish; only the listed ones are needed. */
export type GithubSecretValues = Partial<Record<PublishedSecret, pulumi.Input<string>>>;

/** Where each published secret's value comes from, for error messages and docs. */
export const SECRET_SOURCES: Readonly<Record<PublishedSecret, string>> = {
  databaseUrl: `the secret config ${CONFIG_NAMESPACE}:databaseUrl`,
  pulumiBackendUrl: "PULUMI_BACKEND_URL in the environment of `pulumi up`",
  pulumiConfigPassphrase: "PULUMI_CONFIG_PASSPHRASE in the environment of `pulumi up`",
  pulumiAccessToken: "PULUMI_ACCESS_TOKEN in the environment of `pulumi up`",
};

/** The passphrase the Pulumi CLI itself uses: the variable, else the trimmed file it names. */
function passphrase(env: NodeJS.ProcessEnv): string | undefined {
  if (env.PULUMI_CONFIG_PASSPHRASE !== undefined) return env.PULUMI_CONFIG_PASSPHRASE;
  const file = env.PULUMI_CONFIG_PASSPHRASE_FILE;
  return file ? readFileSync(file, "utf8").trim() : undefined;
}

/**
 * Collects the values to publish: the database URL from the stack's secret config, the Pulumi
 * backend URL, passphrase and access token from the environment of whoever runs `pulumi up`
 * (what lets the workflow open the same state). Every value is a Pulumi secret.
 */
export function githubSecretValues(
  config: pulumi.Config,
  env: NodeJS.ProcessEnv = process.env,
): GithubSecretValues {
  const values: GithubSecretValues = {};
  const databaseUrl = config.getSecret("databaseUrl");
  if (databaseUrl) values.databaseUrl = databaseUrl;
  const fromEnv = {
    pulumiBackendUrl: env.PULUMI_BACKEND_URL,
    pulumiConfigPassphrase: passphrase(env),
    pulumiAccessToken: env.PULUMI_ACCESS_TOKEN,
  } as const;
  for (const [key, value] of Object.entries(fromEnv)) {
    // An empty passphrase is fine locally but is not something to hand to a workflow.
    if (value) values[key as keyof typeof fromEnv] = pulumi.secret(value);
  }
  return values;
}

/** The GitHub environments of one stack: where it rolls out, and where pull requests preview. */
export interface GithubEnvironments {
  readonly rollout: GithubEnvironment;
  readonly preview: GithubEnvironment | undefined;
}

function publishedSecrets(
  github: GithubEnvironmentSettings,
  values: GithubSecretValues,
): Record<string, pulumi.Input<string>> {
  const secrets: Record<string, pulumi.Input<string>> = {};
  const missing: string[] = [];
  for (const key of github.secrets) {
    const value = values[key];
    if (value === undefined) missing.push(`${key} (from ${SECRET_SOURCES[key]})`);
    else secrets[PUBLISHED_SECRET_NAMES[key]] = value;
  }
  if (missing.length > 0) {
    throw new Error(
      `${CONFIG_NAMESPACE}:github.secrets: no value for ${missing.join(", ")}. ` +
        `Provide it, or remove it from ${CONFIG_NAMESPACE}:github.secrets.`,
    );
  }
  return secrets;
}

/**
 * Declares the stack's GitHub environment (protection rules, branch policies, secrets,
 * variables) and, unless disabled, its pull-request preview environment: no reviewers, any
 * branch, the same secrets. Returns undefined when the stack has no `atlas-rollout:github` or
 * sets `atlas-rollout:github.manage` to false.
 */
export function declareGithubEnvironment(
  settings: StackSettings,
  secrets: GithubSecretValues,
  opts: pulumi.ComponentResourceOptions = {},
): GithubEnvironments | undefined {
  const settingsGithub = settings.github;
  if (!settingsGithub?.manage) return undefined;
  const [owner = "", repository = ""] = settingsGithub.repository.split("/");
  const published = publishedSecrets(settingsGithub, secrets);
  const provider =
    opts.provider ??
    new github.Provider(`github-${owner}`, { owner }, opts.parent ? { parent: opts.parent } : {});
  const common = { repository, secrets: published, variables: settingsGithub.variables };
  const rollout = new GithubEnvironment(
    `github-${settingsGithub.environment}`,
    {
      ...common,
      environment: settingsGithub.environment,
      reviewers: {
        users: settingsGithub.reviewers.users.map((user) => user.id),
        teams: settingsGithub.reviewers.teams.map((team) => team.id),
      },
      preventSelfReview: settingsGithub.preventSelfReview,
      canAdminsBypass: settingsGithub.canAdminsBypass,
      waitTimerMinutes: settingsGithub.waitTimerMinutes,
      deploymentBranches: settingsGithub.deploymentBranches,
    },
    { ...opts, provider },
  );
  const preview =
    settingsGithub.previewEnvironment === undefined
      ? undefined
      : new GithubEnvironment(
          `github-${settingsGithub.previewEnvironment}`,
          {
            ...common,
            environment: settingsGithub.previewEnvironment,
            reviewers: { users: [], teams: [] },
            preventSelfReview: false,
            canAdminsBypass: true,
            waitTimerMinutes: 0,
            // Pull-request jobs run on refs/pull/<n>/merge, which no branch pattern matches.
            deploymentBranches: { policy: "all" },
          },
          { ...opts, provider },
        );
  return { rollout, preview };
}

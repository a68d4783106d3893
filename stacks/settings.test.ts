import { describe, expect, it } from "vitest";
import { loadStackSettings, StackConfigError } from "./settings.ts";

const staging = {
  "atlas-rollout:environment": "staging",
  "atlas-rollout:migrations": { dir: "examples/shop/migrations" },
  "atlas-rollout:github": {
    repository: "acme/shop",
    deploymentBranches: { policy: "custom", branches: ["develop"] },
  },
};

const production = {
  environment: "production",
  migrations: { dir: "examples/shop/migrations" },
  github: {
    repository: "acme/shop",
    reviewers: { users: [{ login: "octocat", id: 583231 }] },
    deploymentBranches: { policy: "protected" },
  },
};

/** Returns the problems a config is rejected with (fails the test if it is accepted). */
function problemsOf(config: Record<string, unknown>): readonly string[] {
  try {
    loadStackSettings(config);
  } catch (error) {
    if (error instanceof StackConfigError) return error.problems;
    throw error;
  }
  throw new Error("the configuration was accepted");
}

describe("loadStackSettings", () => {
  it("returns validated settings with defaults and the GitHub environment resolved", () => {
    expect(loadStackSettings(staging)).toEqual({
      environment: "staging",
      database: {
        schemas: [],
        revisionsSchema: "atlas_schema_revisions",
        allowDirty: false,
        devExtensions: [],
      },
      migrations: {
        dir: "examples/shop/migrations",
        txMode: "file",
        timeoutSeconds: 600,
        lockTimeoutSeconds: 10,
        waivers: [],
      },
      github: {
        repository: "acme/shop",
        manage: true,
        environment: "staging",
        previewEnvironment: "staging-preview",
        reviewers: { users: [], teams: [] },
        preventSelfReview: false,
        canAdminsBypass: true,
        waitTimerMinutes: 0,
        deploymentBranches: { policy: "custom", branches: ["develop"], tags: [] },
        secrets: ["databaseUrl", "pulumiBackendUrl", "pulumiConfigPassphrase"],
        variables: {},
      },
    });
  });

  it("accepts Pulumi's form: structured values as JSON text, other namespaces ignored", () => {
    const settings = loadStackSettings({
      "atlas-rollout:environment": "production",
      "atlas-rollout:migrations": JSON.stringify(production.migrations),
      "atlas-rollout:github": JSON.stringify({ ...production.github, previewEnvironment: false }),
      "atlas-rollout:databaseUrl": "postgres://app:secret@db/app",
      "github:owner": "acme",
      "pulumi:tags": "{}",
    });
    expect(settings.environment).toBe("production");
    expect(settings.github?.environment).toBe("production");
    expect(settings.github?.previewEnvironment).toBeUndefined();
    expect(JSON.stringify(settings)).not.toContain("secret@");
  });

  it("leaves GitHub out when the stack declares no environment", () => {
    expect(
      loadStackSettings({ environment: "local", migrations: { dir: "m" } }).github,
    ).toBeUndefined();
  });

  it.each([
    [
      "a missing environment",
      { migrations: { dir: "m" } },
      "atlas-rollout:environment: is required: run `pulumi config set atlas-rollout:environment <local|staging|production>`",
    ],
    [
      "an unknown environment",
      { environment: "prod", migrations: { dir: "m" } },
      "atlas-rollout:environment: must be one of local, staging, production",
    ],
    [
      "a misspelt key",
      { ...staging, "atlas-rollout:migration": { dir: "m" } },
      "atlas-rollout:migration: unknown key (allowed: environment, database, migrations, desiredState, github, databaseUrl, devDatabaseUrl)",
    ],
    [
      "a missing migration directory",
      { environment: "local" },
      "atlas-rollout:migrations.dir: is required (expected string)",
    ],
    [
      "a misspelt nested key",
      { ...staging, "atlas-rollout:migrations": { dir: "m", txmode: "all" } },
      "atlas-rollout:migrations.txmode: unknown key (allowed: dir, txMode, baseline, timeoutSeconds, lockTimeoutSeconds, waivers)",
    ],
    [
      "an unknown transaction mode",
      { ...staging, "atlas-rollout:migrations": { dir: "m", txMode: "statement" } },
      'atlas-rollout:migrations.txMode: Invalid option: expected one of "file"|"all"|"none"',
    ],
    [
      "a structured key given as plain text",
      { ...staging, "atlas-rollout:github": "acme/shop" },
      "atlas-rollout:github: must be an object (a YAML mapping under the key in Pulumi.<stack>.yaml)",
    ],
    [
      "a repository without owner",
      { ...staging, "atlas-rollout:github": { repository: "shop" } },
      "atlas-rollout:github.repository: must be owner/name, such as acme/shop",
    ],
    [
      "a reviewer given by login only",
      {
        ...production,
        github: {
          ...production.github,
          reviewers: { users: [{ login: "octocat", id: "octocat" }] },
        },
      },
      "atlas-rollout:github.reviewers.users.0.id: must be the numeric user ID (a number, not a name)",
    ],
    [
      "a team given without its ID",
      {
        ...production,
        github: { ...production.github, reviewers: { teams: [{ slug: "db-owners" }] } },
      },
      "atlas-rollout:github.reviewers.teams.0.id: must be the numeric team ID (a number, not a name)",
    ],
    [
      "seven reviewers",
      {
        ...production,
        github: {
          ...production.github,
          reviewers: {
            users: [1, 2, 3, 4, 5, 6, 7].map((id) => ({ login: `user${id}`, id })),
          },
        },
      },
      "atlas-rollout:github.reviewers: GitHub allows at most 6 required reviewers (users and teams together)",
    ],
    [
      "a wait timer over 30 days",
      { ...staging, "atlas-rollout:github": { repository: "acme/shop", waitTimerMinutes: 50_000 } },
      "atlas-rollout:github.waitTimerMinutes: must be at most 43200 (30 days)",
    ],
    [
      "an unknown branch policy",
      {
        ...staging,
        "atlas-rollout:github": { repository: "acme/shop", deploymentBranches: { policy: "main" } },
      },
      'atlas-rollout:github.deploymentBranches.policy: must be one of {"policy":"all"}, {"policy":"protected"}, {"policy":"custom",…}',
    ],
    [
      "a custom branch policy without patterns",
      {
        ...staging,
        "atlas-rollout:github": {
          repository: "acme/shop",
          deploymentBranches: { policy: "custom" },
        },
      },
      "atlas-rollout:github.deploymentBranches: a custom policy needs at least one pattern in branches or tags",
    ],
    [
      "an unknown secret to publish",
      { ...staging, "atlas-rollout:github": { repository: "acme/shop", secrets: ["githubToken"] } },
      "atlas-rollout:github.secrets.0: must be one of databaseUrl, pulumiBackendUrl, pulumiConfigPassphrase, pulumiAccessToken",
    ],
    [
      "a variable with a reserved name",
      {
        ...staging,
        "atlas-rollout:github": { repository: "acme/shop", variables: { GITHUB_SHA: "x" } },
      },
      "atlas-rollout:github.variables.GITHUB_SHA: invalid name: must not start with GITHUB_ (reserved)",
    ],
    [
      "a variable named like a published secret",
      {
        ...staging,
        "atlas-rollout:github": { repository: "acme/shop", variables: { DATABASE_URL: "x" } },
      },
      "atlas-rollout:github.variables: must not reuse a secret name (DATABASE_URL, PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE, PULUMI_ACCESS_TOKEN)",
    ],
    [
      "a misspelt GitHub key",
      { ...staging, "atlas-rollout:github": { repository: "acme/shop", reviewer: {} } },
      "atlas-rollout:github.reviewer: unknown key (allowed: repository, manage, environment, reviewers, preventSelfReview, canAdminsBypass, waitTimerMinutes, deploymentBranches, secrets, variables, previewEnvironment)",
    ],
    [
      "a GitHub environment on a local stack",
      { environment: "local", migrations: { dir: "m" }, github: { repository: "acme/shop" } },
      "atlas-rollout:github: a local stack has no GitHub environment; remove this key",
    ],
    [
      "production without reviewers",
      { ...production, github: { ...production.github, reviewers: {} } },
      "atlas-rollout:github.reviewers: production needs at least one required reviewer (users or teams)",
    ],
    [
      "production open to every branch",
      { ...production, github: { ...production.github, deploymentBranches: { policy: "all" } } },
      'atlas-rollout:github.deploymentBranches: production must limit who deploys: use {"policy":"protected"} or {"policy":"custom","branches":["main"]}',
    ],
  ])("rejects %s with one message naming the key", (_, config, message) => {
    expect(problemsOf(config)).toEqual([message]);
  });

  it("reports every mistake at once", () => {
    expect(problemsOf({ environment: "qa", migrations: { dir: "" }, typo: 1 })).toEqual([
      "atlas-rollout:typo: unknown key (allowed: environment, database, migrations, desiredState, github, databaseUrl, devDatabaseUrl)",
      "atlas-rollout:environment: must be one of local, staging, production",
      "atlas-rollout:migrations.dir: Too small: expected string to have >=1 characters",
    ]);
  });
});

// GitHub resources under Pulumi mocks: the GitHub API cannot be reached from here, so these tests
// record what the program asks the engine to create and assert those inputs exactly.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it } from "vitest";
import { loadStackSettings } from "../stacks/settings.ts";
import { committedStackConfig } from "../test/helpers/stack-files.ts";

/** Registered resources by `<type>::<name>` (a component and its main child share a name). */
const recorded = new Map<string, Record<string, unknown>>();

// Mocks first, program modules after: a static import would register resources with no mock.
pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      recorded.set(`${args.type}::${args.name}`, args.inputs);
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: (args) => args.inputs,
  },
  "atlas-rollout",
  "staging",
  false,
);
pulumi.runtime.setAllConfig(
  { "atlas-rollout:databaseUrl": "postgres://app:s3cret@db.internal:5432/shop" },
  ["atlas-rollout:databaseUrl"],
);
const { declareGithubEnvironment, githubSecretValues } = await import("./github.ts");

const stackConfig = committedStackConfig();
const staging = loadStackSettings(await stackConfig("staging"));
const production = loadStackSettings(await stackConfig("production"));

const DATABASE_URL = "postgres://app:s3cret@db.internal:5432/shop";
const BACKEND_URL = "s3://acme-pulumi-state";
const PASSPHRASE = "correct horse battery staple";
const values = {
  databaseUrl: pulumi.secret(DATABASE_URL),
  pulumiBackendUrl: pulumi.secret(BACKEND_URL),
  pulumiConfigPassphrase: pulumi.secret(PASSPHRASE),
};

const T = {
  provider: "pulumi:providers:github",
  component: "atlas-rollout:github:Environment",
  environment: "github:index/repositoryEnvironment:RepositoryEnvironment",
  policy:
    "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy",
  secret: "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret",
  variable: "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable",
} as const;

/** A secret input as the engine receives it (the mock monitor keeps the secret marker). */
function secret(value: string) {
  return { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value };
}

function publishedSecrets(environment: string) {
  return Object.fromEntries(
    Object.entries({
      DATABASE_URL,
      PULUMI_BACKEND_URL: BACKEND_URL,
      PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    }).map(([secretName, value]) => [
      `${T.secret}::github-${environment}-secret-${secretName}`,
      { repository: "shop", environment, secretName, value: secret(value) },
    ]),
  );
}

/** The preview environment: no approval, any branch, the same secrets. */
function previewEnvironment(environment: string) {
  return {
    [`${T.component}::github-${environment}`]: {},
    [`${T.environment}::github-${environment}`]: {
      repository: "shop",
      environment,
      preventSelfReview: false,
      canAdminsBypass: true,
      waitTimer: 0,
    },
    ...publishedSecrets(environment),
  };
}

/** Resolves with everything recorded once every resource of the environments is registered. */
async function registered(environments: ReturnType<typeof declareGithubEnvironment>) {
  const components = [environments?.rollout, environments?.preview].flatMap((c) => (c ? [c] : []));
  const resources = components.flatMap((c) => [
    c,
    c.environment,
    ...c.deploymentPolicies,
    ...c.secrets,
    ...c.variables,
  ]);
  await new Promise((resolve) => pulumi.all(resources.map((r) => r.urn)).apply(resolve));
  return Object.fromEntries(recorded);
}

beforeEach(() => recorded.clear());

describe("GitHub environments (Pulumi mocks)", () => {
  it("declares staging: develop only, no approval, secrets, and a preview environment", async () => {
    expect(await registered(declareGithubEnvironment(staging, values))).toEqual({
      [`${T.provider}::github-acme`]: { owner: "acme", baseUrl: "https://api.github.com/" },
      [`${T.component}::github-staging`]: {},
      [`${T.environment}::github-staging`]: {
        repository: "shop",
        environment: "staging",
        preventSelfReview: false,
        canAdminsBypass: true,
        waitTimer: 0,
        deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
      },
      [`${T.policy}::github-staging-branch-develop`]: {
        repository: "shop",
        environment: "staging",
        branchPattern: "develop",
      },
      ...publishedSecrets("staging"),
      ...previewEnvironment("staging-preview"),
    });
  });

  it("declares production: main only, required reviewers by ID, wait timer, no bypass", async () => {
    expect(await registered(declareGithubEnvironment(production, values))).toEqual({
      [`${T.provider}::github-acme`]: { owner: "acme", baseUrl: "https://api.github.com/" },
      [`${T.component}::github-production`]: {},
      [`${T.environment}::github-production`]: {
        repository: "shop",
        environment: "production",
        reviewers: [{ users: [583231], teams: [1000001] }],
        preventSelfReview: true,
        canAdminsBypass: false,
        waitTimer: 5,
        deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
      },
      [`${T.policy}::github-production-branch-main`]: {
        repository: "shop",
        environment: "production",
        branchPattern: "main",
      },
      ...publishedSecrets("production"),
      ...previewEnvironment("production-preview"),
    });
  });

  it("publishes variables, tag patterns, protected-branch policies, and no preview on request", async () => {
    const settings = loadStackSettings({
      environment: "staging",
      migrations: { dir: "m" },
      github: {
        repository: "acme/shop",
        environment: "qa",
        deploymentBranches: { policy: "custom", tags: ["v*"] },
        secrets: ["databaseUrl"],
        variables: { MIGRATIONS_DIR: "examples/shop/migrations" },
        previewEnvironment: false,
      },
    });
    // A plain value handed in by mistake still reaches the engine as a secret.
    const resources = await registered(
      declareGithubEnvironment(settings, { databaseUrl: DATABASE_URL }),
    );
    expect(resources).toEqual({
      [`${T.provider}::github-acme`]: { owner: "acme", baseUrl: "https://api.github.com/" },
      [`${T.component}::github-qa`]: {},
      [`${T.environment}::github-qa`]: {
        repository: "shop",
        environment: "qa",
        preventSelfReview: false,
        canAdminsBypass: true,
        waitTimer: 0,
        deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
      },
      [`${T.policy}::github-qa-tag-v*`]: {
        repository: "shop",
        environment: "qa",
        tagPattern: "v*",
      },
      [`${T.secret}::github-qa-secret-DATABASE_URL`]: {
        repository: "shop",
        environment: "qa",
        secretName: "DATABASE_URL",
        value: secret(DATABASE_URL),
      },
      [`${T.variable}::github-qa-variable-MIGRATIONS_DIR`]: {
        repository: "shop",
        environment: "qa",
        variableName: "MIGRATIONS_DIR",
        value: "examples/shop/migrations",
      },
    });
  });

  it("maps a protected-branches policy", async () => {
    const settings = loadStackSettings({
      environment: "staging",
      migrations: { dir: "m" },
      github: {
        repository: "acme/shop",
        deploymentBranches: { policy: "protected" },
        secrets: [],
        previewEnvironment: false,
      },
    });
    const resources = await registered(declareGithubEnvironment(settings, {}));
    expect(resources[`${T.environment}::github-staging`]?.deploymentBranchPolicy).toEqual({
      protectedBranches: true,
      customBranchPolicies: false,
    });
  });

  it("declares nothing for a stack without a GitHub environment, or one managed by hand", () => {
    const local = loadStackSettings({ environment: "local", migrations: { dir: "m" } });
    expect(declareGithubEnvironment(local, values)).toBeUndefined();
    const byHand = loadStackSettings({
      environment: "staging",
      migrations: { dir: "m" },
      github: { repository: "acme/shop", manage: false },
    });
    expect(declareGithubEnvironment(byHand, values)).toBeUndefined();
    expect(recorded.size).toBe(0);
  });

  it("refuses to publish a secret it has no value for, naming where the value comes from", () => {
    expect(() => declareGithubEnvironment(staging, { databaseUrl: DATABASE_URL })).toThrow(
      "atlas-rollout:github.secrets: no value for pulumiBackendUrl (from PULUMI_BACKEND_URL in the environment of `pulumi up`), pulumiConfigPassphrase (from PULUMI_CONFIG_PASSPHRASE in the environment of `pulumi up`). Provide it, or remove it from atlas-rollout:github.secrets.",
    );
  });

  it("reads the database URL from secret config and the Pulumi values from the environment, all as secrets", async () => {
    const found = githubSecretValues(new pulumi.Config(), {
      PULUMI_BACKEND_URL: BACKEND_URL,
      PULUMI_CONFIG_PASSPHRASE: "",
    });
    expect(Object.keys(found)).toEqual(["databaseUrl", "pulumiBackendUrl"]);
    for (const value of Object.values(found)) {
      expect(await pulumi.isSecret(pulumi.output(value))).toBe(true);
    }
    const unwrapped = await new Promise((resolve) =>
      pulumi.all([found.databaseUrl, found.pulumiBackendUrl]).apply(resolve),
    );
    expect(unwrapped).toEqual([DATABASE_URL, BACKEND_URL]);
  });

  it("reads the passphrase from PULUMI_CONFIG_PASSPHRASE_FILE as the Pulumi CLI does", async () => {
    const dir = mkdtempSync(join(tmpdir(), "passphrase-"));
    try {
      writeFileSync(join(dir, "passphrase"), `${PASSPHRASE}\n`);
      const found = githubSecretValues(new pulumi.Config(), {
        PULUMI_CONFIG_PASSPHRASE_FILE: join(dir, "passphrase"),
      });
      const value = await new Promise((resolve) =>
        pulumi.output(found.pulumiConfigPassphrase).apply(resolve),
      );
      expect(value).toBe(PASSPHRASE);
      expect(await pulumi.isSecret(pulumi.output(found.pulumiConfigPassphrase))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

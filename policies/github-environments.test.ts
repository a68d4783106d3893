import { describe, expect, it } from "vitest";
import {
  noDatabaseUrlInVariables,
  requireProtectedProductionEnvironment,
} from "./github-environments.ts";
import { UNKNOWN, validate } from "./testing.ts";

// Type tokens of the @pulumi/github resources the rollout creates.
const ENVIRONMENT = "github:index/repositoryEnvironment:RepositoryEnvironment";
const ENVIRONMENT_VARIABLE = "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable";
const ENVIRONMENT_SECRET = "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret";
const REPOSITORY_VARIABLE = "github:index/actionsVariable:ActionsVariable";

const protectedProduction = {
  repository: "shop",
  environment: "production",
  reviewers: [{ users: [1234] }],
  deploymentBranchPolicy: { protectedBranches: true, customBranchPolicies: false },
  waitTimer: 0,
  preventSelfReview: true,
};

function environment(props: Record<string, unknown>, config: Record<string, unknown> = {}) {
  return { type: ENVIRONMENT, props, config };
}

describe("require-protected-production-environment", () => {
  it("passes a production environment with reviewers and a branch policy", async () => {
    expect(
      await validate(requireProtectedProductionEnvironment, environment(protectedProduction)),
    ).toEqual([]);
  });

  it("blocks a production environment without reviewers or branch policy", async () => {
    const open = { repository: "shop", environment: "production" };
    expect(await validate(requireProtectedProductionEnvironment, environment(open))).toEqual([
      'Environment "production" of repository "shop" has no required reviewers, so anyone who can run the workflow can roll out to it. Add reviewers: [{ users: [<user id>] }] or [{ teams: [<team id>] }].',
      'Environment "production" of repository "shop" accepts rollouts from any branch. Set deploymentBranchPolicy: { protectedBranches: true, customBranchPolicies: false } (or customBranchPolicies: true with RepositoryEnvironmentDeploymentPolicy rules).',
    ]);
  });

  it("treats empty reviewer lists and an all-false branch policy as unprotected", async () => {
    const hollow = {
      ...protectedProduction,
      reviewers: [{ users: [], teams: [] }],
      deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: false },
    };
    const reports = await validate(requireProtectedProductionEnvironment, environment(hollow));
    expect(reports.map((report) => report.split(".")[0])).toEqual([
      'Environment "production" of repository "shop" has no required reviewers, so anyone who can run the workflow can roll out to it',
      'Environment "production" of repository "shop" accepts rollouts from any branch',
    ]);
  });

  it("accepts team reviewers and custom branch policies", async () => {
    const teams = {
      ...protectedProduction,
      reviewers: [{ teams: [42] }],
      deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
    };
    expect(await validate(requireProtectedProductionEnvironment, environment(teams))).toEqual([]);
  });

  it("uses the configured environment names, case-insensitively", async () => {
    const open = { repository: "shop", environment: "Prod-EU" };
    expect(await validate(requireProtectedProductionEnvironment, environment(open))).toEqual([]);
    const reports = await validate(
      requireProtectedProductionEnvironment,
      environment(open, { protectedEnvironments: ["production", "prod-eu"] }),
    );
    expect(reports).toHaveLength(2);
  });

  it("requires preventSelfReview only when configured", async () => {
    const selfReview = { ...protectedProduction, preventSelfReview: false };
    expect(await validate(requireProtectedProductionEnvironment, environment(selfReview))).toEqual(
      [],
    );
    expect(
      await validate(
        requireProtectedProductionEnvironment,
        environment(selfReview, { requirePreventSelfReview: true }),
      ),
    ).toEqual([
      'Environment "production" of repository "shop" lets whoever started a rollout approve it. Set preventSelfReview: true.',
    ]);
  });

  it("ignores environments that are not protected", async () => {
    const staging = { repository: "shop", environment: "staging" };
    expect(await validate(requireProtectedProductionEnvironment, environment(staging))).toEqual([]);
  });

  it("counts reviewer ids unknown during preview as reviewers and names an unknown repository", async () => {
    const pending = {
      ...protectedProduction,
      repository: UNKNOWN,
      reviewers: [{ teams: UNKNOWN }],
    };
    expect(await validate(requireProtectedProductionEnvironment, environment(pending))).toEqual([]);
    const open = { repository: UNKNOWN, environment: "production" };
    const reports = await validate(requireProtectedProductionEnvironment, environment(open));
    expect(reports[0]).toMatch(
      /^Environment "production" of repository "\(known after the update\)" has no required reviewers/,
    );
  });

  it("cannot decide during preview when the environment name is unknown (checked again by `up`)", async () => {
    const pending = { repository: "shop", environment: UNKNOWN };
    expect(await validate(requireProtectedProductionEnvironment, environment(pending))).toEqual([
      "can't run during preview: string value at .environment can't be known during preview",
    ]);
  });
});

describe("no-database-url-in-variables", () => {
  const advice =
    "holds a database URL (postgres://…). Variables are plain text to everyone who can read the repository and are printed in workflow logs. Store the URL as a github.ActionsEnvironmentSecret (plaintextValue from a Pulumi secret) and remove the variable.";

  it("blocks a postgres:// or postgresql:// URL in an environment variable, without echoing it", async () => {
    for (const value of [
      "postgres://app:s3cret@db.internal:5432/shop",
      "  POSTGRESQL://db.internal/shop?sslmode=require",
      "url=postgres://db/shop",
    ]) {
      const reports = await validate(noDatabaseUrlInVariables, {
        type: ENVIRONMENT_VARIABLE,
        props: {
          repository: "shop",
          environment: "production",
          variableName: "DATABASE_URL",
          value,
        },
      });
      expect(reports).toEqual([
        `Variable "DATABASE_URL" of environment "production" in repository "shop" ${advice}`,
      ]);
    }
  });

  it("blocks a database URL in a repository variable too", async () => {
    const reports = await validate(noDatabaseUrlInVariables, {
      type: REPOSITORY_VARIABLE,
      props: { repository: "shop", variableName: "DB", value: "postgres://db/shop" },
    });
    expect(reports).toEqual([`Variable "DB" of repository "shop" ${advice}`]);
  });

  it("passes other values, secrets and other resources", async () => {
    const variable = {
      repository: "shop",
      environment: "production",
      variableName: "DATABASE_HOST",
      value: "db.internal",
    };
    expect(
      await validate(noDatabaseUrlInVariables, { type: ENVIRONMENT_VARIABLE, props: variable }),
    ).toEqual([]);
    const secret = {
      repository: "shop",
      environment: "production",
      secretName: "DATABASE_URL",
      plaintextValue: "postgres://app:s3cret@db.internal:5432/shop",
    };
    expect(
      await validate(noDatabaseUrlInVariables, {
        type: ENVIRONMENT_SECRET,
        props: secret,
      }),
    ).toEqual([]);
  });
});

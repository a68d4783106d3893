import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";

/** Which branches (and tags) may deploy to a GitHub environment. */
export type DeploymentBranches =
  | { readonly policy: "all" }
  | { readonly policy: "protected" }
  | {
      readonly policy: "custom";
      readonly branches: readonly string[];
      readonly tags: readonly string[];
    };

/** Inputs of {@link GithubEnvironment}. */
export interface GithubEnvironmentArgs {
  /** Repository name without owner (the owner comes from the GitHub provider). */
  readonly repository: string;
  /** Environment name as the workflows reference it (`environment: staging`). */
  readonly environment: string;
  /** Numeric IDs of required reviewers; none means no approval step. */
  readonly reviewers: { readonly users: readonly number[]; readonly teams: readonly number[] };
  /** Whoever triggered the deployment may not approve it. */
  readonly preventSelfReview: boolean;
  /** Repository administrators may bypass the protection rules. */
  readonly canAdminsBypass: boolean;
  /** Minutes to wait after approval before the job starts. */
  readonly waitTimerMinutes: number;
  readonly deploymentBranches: DeploymentBranches;
  /** Environment secrets by GitHub name; every value is stored as a Pulumi secret. */
  readonly secrets: Readonly<Record<string, pulumi.Input<string>>>;
  /** Environment variables by GitHub name (not secret: visible in logs and the UI). */
  readonly variables: Readonly<Record<string, pulumi.Input<string>>>;
}

/** Translates the branch setting into the provider's `deploymentBranchPolicy` block. */
export function deploymentBranchPolicy(
  branches: DeploymentBranches,
): github.types.input.RepositoryEnvironmentDeploymentBranchPolicy | undefined {
  switch (branches.policy) {
    case "all":
      return undefined;
    case "protected":
      return { protectedBranches: true, customBranchPolicies: false };
    case "custom":
      return { protectedBranches: false, customBranchPolicies: true };
  }
}

/**
 * A GitHub deployment environment with its protection rules, branch policies, secrets and
 * variables. Pass the GitHub provider (which names the repository owner) in `opts.provider`.
 *
 * @example
 * ```ts
 * new GithubEnvironment("production", {
 *   repository: "shop",
 *   environment: "production",
 *   reviewers: { users: [583231], teams: [] },
 *   preventSelfReview: true,
 *   canAdminsBypass: false,
 *   waitTimerMinutes: 5,
 *   deploymentBranches: { policy: "custom", branches: ["main"], tags: [] },
 *   secrets: { DATABASE_URL: config.requireSecret("databaseUrl") },
 *   variables: {},
 * }, { provider });
 * ```
 * @see https://docs.github.com/en/actions/managing-workflow-runs-and-deployments/managing-deployments/managing-environments-for-deployment
 */
export class GithubEnvironment extends pulumi.ComponentResource {
  /** The environment and its protection rules. */
  readonly environment: github.RepositoryEnvironment;
  /** One policy per custom branch or tag pattern. */
  readonly deploymentPolicies: readonly github.RepositoryEnvironmentDeploymentPolicy[];
  readonly secrets: readonly github.ActionsEnvironmentSecret[];
  readonly variables: readonly github.ActionsEnvironmentVariable[];
  /** The environment's name, known once it exists. */
  readonly environmentName: pulumi.Output<string>;

  constructor(name: string, args: GithubEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("atlas-rollout:github:Environment", name, {}, opts);
    const { repository } = args;
    const reviewers =
      args.reviewers.users.length + args.reviewers.teams.length > 0
        ? [{ users: [...args.reviewers.users], teams: [...args.reviewers.teams] }]
        : undefined;
    const branchPolicy = deploymentBranchPolicy(args.deploymentBranches);

    this.environment = new github.RepositoryEnvironment(
      name,
      {
        repository,
        environment: args.environment,
        preventSelfReview: args.preventSelfReview,
        canAdminsBypass: args.canAdminsBypass,
        waitTimer: args.waitTimerMinutes,
        ...(reviewers ? { reviewers } : {}),
        ...(branchPolicy ? { deploymentBranchPolicy: branchPolicy } : {}),
      },
      { parent: this },
    );
    // Children reference the environment's output, so they wait until it exists.
    const environment = this.environment.environment;
    this.environmentName = environment;

    const patterns =
      args.deploymentBranches.policy === "custom"
        ? [
            ...args.deploymentBranches.branches.map((pattern) => ({ kind: "branch", pattern })),
            ...args.deploymentBranches.tags.map((pattern) => ({ kind: "tag", pattern })),
          ]
        : [];
    this.deploymentPolicies = patterns.map(
      ({ kind, pattern }) =>
        new github.RepositoryEnvironmentDeploymentPolicy(
          `${name}-${kind}-${pattern}`,
          {
            repository,
            environment,
            ...(kind === "branch" ? { branchPattern: pattern } : { tagPattern: pattern }),
          },
          { parent: this },
        ),
    );

    this.secrets = Object.entries(args.secrets).map(
      ([secretName, value]) =>
        new github.ActionsEnvironmentSecret(
          `${name}-secret-${secretName}`,
          // The SDK marks `value` secret itself, even when it is handed plain text.
          { repository, environment, secretName, value },
          { parent: this },
        ),
    );

    this.variables = Object.entries(args.variables).map(
      ([variableName, value]) =>
        new github.ActionsEnvironmentVariable(
          `${name}-variable-${variableName}`,
          { repository, environment, variableName, value },
          { parent: this },
        ),
    );

    this.registerOutputs({
      environmentName: this.environmentName,
      secretNames: Object.keys(args.secrets),
      variableNames: Object.keys(args.variables),
    });
  }
}

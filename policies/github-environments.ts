/**
 * Rules over the GitHub side of a rollout: who may start a production rollout, and where the
 * database URL may travel. Values unknown during preview (a repository created in the same
 * update) make these rules advisory in preview; `pulumi up` checks them again with known values.
 * @see https://docs.github.com/en/actions/deployment/targeting-different-environments/using-environments-for-deployment
 */
import * as github from "@pulumi/github";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { readIfKnown } from "./unknown-values.ts";

/** Options of `require-protected-production-environment`. */
export interface ProtectedEnvironmentConfig {
  readonly protectedEnvironments?: readonly string[];
  readonly requirePreventSelfReview?: boolean;
}

const DEFAULT_PROTECTED_ENVIRONMENTS = ["production"];

function nameIfKnown(read: () => string): string {
  return readIfKnown(read) ?? "(known after the update)";
}

/** Requires reviewers and a restricted deployment branch policy on production environments. */
export const requireProtectedProductionEnvironment: ResourceValidationPolicy = {
  name: "require-protected-production-environment",
  description:
    "Requires GitHub environments that roll out to production to have required reviewers and a deployment branch policy that restricts which branches may deploy.",
  enforcementLevel: "mandatory",
  severity: "critical",
  configSchema: {
    properties: {
      protectedEnvironments: {
        type: "array",
        items: { type: "string", minLength: 1 },
        default: DEFAULT_PROTECTED_ENVIRONMENTS,
        description: "Environment names (compared case-insensitively) that count as production.",
      },
      requirePreventSelfReview: {
        type: "boolean",
        default: false,
        description: "Also require that whoever started a rollout cannot approve it.",
      },
    },
  },
  validateResource: validateResourceOfType(
    github.RepositoryEnvironment,
    (environment, args, reportViolation) => {
      const config = args.getConfig<ProtectedEnvironmentConfig>();
      const protectedNames = (config.protectedEnvironments ?? DEFAULT_PROTECTED_ENVIRONMENTS).map(
        (name) => name.toLowerCase(),
      );
      if (!protectedNames.includes(environment.environment.toLowerCase())) return;
      const where = `Environment "${environment.environment}" of repository "${nameIfKnown(() => environment.repository)}"`;

      const reviewers = environment.reviewers ?? [];
      // An id list that is unknown during preview will hold ids: count it as a reviewer.
      const hasReviewer = reviewers.some(
        (reviewer) =>
          readIfKnown(() => (reviewer.users?.length ?? 0) + (reviewer.teams?.length ?? 0) > 0) ??
          true,
      );
      if (!hasReviewer) {
        reportViolation(
          `${where} has no required reviewers, so anyone who can run the workflow can roll out to it. ` +
            "Add reviewers: [{ users: [<user id>] }] or [{ teams: [<team id>] }].",
        );
      }

      const branchPolicy = environment.deploymentBranchPolicy;
      // A flag that is unknown during preview is checked again by `up`.
      const restricted =
        branchPolicy === undefined
          ? false
          : (readIfKnown(
              () => branchPolicy.protectedBranches || branchPolicy.customBranchPolicies,
            ) ?? true);
      if (!restricted) {
        reportViolation(
          `${where} accepts rollouts from any branch. ` +
            "Set deploymentBranchPolicy: { protectedBranches: true, customBranchPolicies: false } " +
            "(or customBranchPolicies: true with RepositoryEnvironmentDeploymentPolicy rules).",
        );
      }

      if (config.requirePreventSelfReview && environment.preventSelfReview !== true) {
        reportViolation(
          `${where} lets whoever started a rollout approve it. Set preventSelfReview: true.`,
        );
      }
    },
  ),
};

const DATABASE_URL = /\bpostgres(?:ql)?:\/\//i;

/** Prohibits database URLs in GitHub Actions variables: they reach GitHub only as secrets. */
export const noDatabaseUrlInVariables: ResourceValidationPolicy = {
  name: "no-database-url-in-variables",
  description:
    "Prohibits database URLs (postgres://…) in GitHub Actions variables: they may reach GitHub only as secrets.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: (args, reportViolation) => {
    const environmentVariable = args.asType(github.ActionsEnvironmentVariable);
    const repositoryVariable = args.asType(github.ActionsVariable);
    const variable = environmentVariable ?? repositoryVariable;
    if (!variable || !DATABASE_URL.test(variable.value)) return;
    const name = `Variable "${nameIfKnown(() => variable.variableName)}"`;
    const repository = `repository "${nameIfKnown(() => variable.repository)}"`;
    const where = environmentVariable
      ? `${name} of environment "${nameIfKnown(() => environmentVariable.environment)}" in ${repository}`
      : `${name} of ${repository}`;
    reportViolation(
      `${where} holds a database URL (postgres://…). Variables are plain text to everyone who can read the repository and are printed in workflow logs. ` +
        "Store the URL as a github.ActionsEnvironmentSecret (plaintextValue from a Pulumi secret) and remove the variable.",
    );
  },
};

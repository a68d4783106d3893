import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE } from "../stacks/schema.ts";
import { loadStackSettings } from "../stacks/settings.ts";
import { DatabaseRollout } from "./database-rollout.ts";
import { declareGithubEnvironment, githubSecretValues } from "./github.ts";

/** Database URLs handed to the program directly (local and test stacks), never via config/argv. */
export interface ProgramSecrets {
  readonly databaseUrl?: string;
  readonly devDatabaseUrl?: string;
}

/**
 * Creates the stack program: validates the `atlas-rollout:*` config (environment, database,
 * migrations, github), then declares the database rollout and, where configured, the GitHub
 * environments the workflows run in. The database URLs come from the secret config
 * `databaseUrl` / `devDatabaseUrl` unless given here.
 */
export function rolloutProgram(
  secrets: ProgramSecrets = {},
): () => Promise<Record<string, unknown>> {
  return () => declareRollout(secrets);
}

async function declareRollout(secrets: ProgramSecrets): Promise<Record<string, unknown>> {
  const settings = loadStackSettings(pulumi.runtime.allConfig());
  const config = new pulumi.Config(CONFIG_NAMESPACE);
  const databaseUrl = secrets.databaseUrl
    ? pulumi.secret(secrets.databaseUrl)
    : config.getSecret("databaseUrl");
  if (!databaseUrl) {
    throw new Error(
      `Missing stack configuration ${CONFIG_NAMESPACE}:databaseUrl. Set it without putting it on the command line: \`pulumi config set --secret atlas-rollout:databaseUrl --stack ${pulumi.getStack()}\` (prompts, or reads standard input; docs/environments.md).`,
    );
  }
  const devDatabaseUrl =
    (secrets.devDatabaseUrl ? pulumi.secret(secrets.devDatabaseUrl) : undefined) ??
    config.getSecret("devDatabaseUrl") ??
    databaseUrl;
  const rollout = new DatabaseRollout("app", {
    databaseUrl,
    devDatabaseUrl,
    database: settings.database,
    migrations: settings.migrations,
    desiredState: settings.desiredState,
  });
  const environments = declareGithubEnvironment(settings, githubSecretValues(config));
  return {
    environment: settings.environment,
    target: rollout.migration.target,
    currentVersion: rollout.migration.currentVersion,
    status: rollout.migration.status,
    appliedFiles: rollout.migration.appliedFiles,
    ...(environments ? { githubEnvironment: settings.github?.environment } : {}),
  };
}

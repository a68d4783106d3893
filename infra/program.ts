import * as pulumi from "@pulumi/pulumi";
import {
  CONFIG_NAMESPACE,
  databaseSettings,
  migrationSettings,
  parseSetting,
} from "../stacks/schema.ts";
import { DatabaseRollout } from "./database-rollout.ts";

/** Database URLs handed to the program directly (local and test stacks), never via config/argv. */
export interface ProgramSecrets {
  readonly databaseUrl?: string;
  readonly devDatabaseUrl?: string;
}

/**
 * Creates the stack program: reads `atlas-rollout:*` config (settings `database` and
 * `migrations`; secrets `databaseUrl` and `devDatabaseUrl` unless given here) and declares the
 * rollout.
 */
export function rolloutProgram(
  secrets: ProgramSecrets = {},
): () => Promise<Record<string, unknown>> {
  return () => declareRollout(secrets);
}

async function declareRollout(secrets: ProgramSecrets): Promise<Record<string, unknown>> {
  const config = new pulumi.Config(CONFIG_NAMESPACE);
  const database = parseSetting("database", databaseSettings, config.getObject("database"));
  const migrations = parseSetting("migrations", migrationSettings, config.getObject("migrations"));
  const databaseUrl = secrets.databaseUrl
    ? pulumi.secret(secrets.databaseUrl)
    : config.getSecret("databaseUrl");
  if (!databaseUrl) {
    throw new Error(
      `Missing stack configuration ${CONFIG_NAMESPACE}:databaseUrl. Set it with \`npm run config -- --stack ${pulumi.getStack()} --secret databaseUrl\` (reads the value from stdin).`,
    );
  }
  const devDatabaseUrl =
    (secrets.devDatabaseUrl ? pulumi.secret(secrets.devDatabaseUrl) : undefined) ??
    config.getSecret("devDatabaseUrl") ??
    databaseUrl;
  const rollout = new DatabaseRollout("app", { databaseUrl, devDatabaseUrl, database, migrations });
  return {
    target: rollout.migration.target,
    currentVersion: rollout.migration.currentVersion,
    status: rollout.migration.status,
    appliedFiles: rollout.migration.appliedFiles,
  };
}

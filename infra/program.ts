import * as pulumi from "@pulumi/pulumi";
import {
  CONFIG_NAMESPACE,
  databaseSettings,
  migrationSettings,
  parseSetting,
} from "../stacks/schema.ts";
import { DatabaseRollout } from "./database-rollout.ts";

/**
 * The stack program: reads `atlas-rollout:*` config (secrets `databaseUrl` and
 * `devDatabaseUrl`; settings `database` and `migrations`) and declares the rollout.
 */
export async function rolloutProgram(): Promise<Record<string, unknown>> {
  const config = new pulumi.Config(CONFIG_NAMESPACE);
  const database = parseSetting("database", databaseSettings, config.getObject("database"));
  const migrations = parseSetting("migrations", migrationSettings, config.getObject("migrations"));
  const databaseUrl = config.getSecret("databaseUrl");
  if (!databaseUrl) {
    throw new Error(
      `Missing stack configuration ${CONFIG_NAMESPACE}:databaseUrl. Set it with \`npm run config -- --stack ${pulumi.getStack()} --secret databaseUrl\` (reads the value from stdin).`,
    );
  }
  const devDatabaseUrl = config.getSecret("devDatabaseUrl") ?? databaseUrl;
  const rollout = new DatabaseRollout("app", { databaseUrl, devDatabaseUrl, database, migrations });
  return {
    target: rollout.migration.target,
    currentVersion: rollout.migration.currentVersion,
    status: rollout.migration.status,
    appliedFiles: rollout.migration.appliedFiles,
  };
}

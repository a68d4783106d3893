import { join } from "node:path";
import type { ConfigMap } from "@pulumi/pulumi/automation/index.js";
import { rolloutProgram } from "../../infra/program.ts";
import { createDatabaseIfMissing } from "../db/create.ts";
import { type EmbeddedServer, startEmbeddedPostgres } from "../db/embedded.ts";
import { withDatabase } from "../db/url.ts";
import { localHome, type Toolchain } from "../toolchain/index.ts";
import { committedConfig, localPassphrase, openStack } from "./workspace.ts";

/** Folder for the local stack's machine-local files (see `localHome`). */
export const localDir = localHome;

/** Where the local stack's target and dev databases come from. */
export interface LocalDatabases {
  readonly databaseUrl: string;
  readonly devDatabaseUrl: string;
  /** Started by us; stop it when done. */
  readonly embedded: EmbeddedServer | undefined;
}

/**
 * Resolves the local target: `DATABASE_URL` (and optional `DEV_DATABASE_URL`, default: the
 * same server) when set, else database `app` on the embedded PostgreSQL.
 */
export async function localDatabases(
  env: NodeJS.ProcessEnv,
  progress: (line: string) => void,
): Promise<LocalDatabases> {
  if (env.DATABASE_URL) {
    return {
      databaseUrl: env.DATABASE_URL,
      devDatabaseUrl: env.DEV_DATABASE_URL ?? withDatabase(env.DATABASE_URL, "postgres"),
      embedded: undefined,
    };
  }
  const embedded = await startEmbeddedPostgres(join(localDir, "embedded-pg"), progress);
  const databaseUrl = withDatabase(embedded.url, "app");
  await createDatabaseIfMissing(databaseUrl);
  return { databaseUrl, devDatabaseUrl: embedded.url, embedded };
}

/** Opens the `local` stack: private work folder, file backend, generated passphrase. */
export function openLocalStack(
  toolchain: Toolchain,
  databases: LocalDatabases,
  extra: ConfigMap = {},
) {
  return openStack(toolchain, {
    stackName: "local",
    workDir: join(localDir, "local"),
    backendUrl: `file://${join(localDir, "state")}`,
    passphrase: localPassphrase(localDir),
    // The URLs go straight into the program as secrets: never through `pulumi config` argv.
    program: rolloutProgram({
      databaseUrl: databases.databaseUrl,
      devDatabaseUrl: databases.devDatabaseUrl,
    }),
    config: { ...committedConfig("local"), ...extra },
  });
}

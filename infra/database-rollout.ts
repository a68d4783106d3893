import { resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Migration } from "../src/migration/resource.ts";
import { projectRoot } from "../src/toolchain/index.ts";
import type {
  DatabaseSettings,
  DesiredStateSettings,
  MigrationSettings,
} from "../stacks/schema.ts";

/** Inputs of {@link DatabaseRollout}. */
export interface DatabaseRolloutArgs {
  readonly databaseUrl: pulumi.Input<string>;
  readonly devDatabaseUrl: pulumi.Input<string>;
  readonly database: DatabaseSettings;
  readonly migrations: MigrationSettings;
  readonly desiredState?: DesiredStateSettings | undefined;
}

/**
 * One database's schema rollout: the Atlas migration directory applied to the target, previewed
 * (plan, lint, drift) before anything runs.
 */
export class DatabaseRollout extends pulumi.ComponentResource {
  readonly migration: Migration;

  constructor(name: string, args: DatabaseRolloutArgs, opts?: pulumi.ComponentResourceOptions) {
    super("atlas-rollout:database:Rollout", name, {}, opts);
    const { database, migrations } = args;
    this.migration = new Migration(
      `${name}-migrations`,
      {
        databaseUrl: args.databaseUrl,
        devDatabaseUrl: args.devDatabaseUrl,
        migrationsDir: resolve(projectRoot, migrations.dir),
        revisionsSchema: database.revisionsSchema,
        schemas: database.schemas,
        allowDirty: database.allowDirty,
        devExtensions: database.devExtensions,
        txMode: migrations.txMode,
        timeoutSeconds: migrations.timeoutSeconds,
        lockTimeoutSeconds: migrations.lockTimeoutSeconds,
        waivers: migrations.waivers,
        ...(migrations.baseline ? { baseline: migrations.baseline } : {}),
        ...(args.desiredState
          ? {
              desiredState: {
                drizzleConfig: resolve(projectRoot, args.desiredState.drizzleConfig),
                extraSql: args.desiredState.extraSql.map((file) => resolve(projectRoot, file)),
              },
            }
          : {}),
      },
      { parent: this },
    );
    this.registerOutputs({
      target: this.migration.target,
      currentVersion: this.migration.currentVersion,
      status: this.migration.status,
    });
  }
}

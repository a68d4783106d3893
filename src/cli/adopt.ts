/**
 * `npm run adopt -- --from <drizzle dir> --out <atlas dir> [--stack <name>]`: converts a
 * drizzle-kit history into an Atlas migration directory, decides the baseline of the database
 * in `$DATABASE_URL` (or `--database-url-env VAR`), prints a report and, for a clean decision
 * and `--stack`, writes `atlas-rollout:migrations.dir` and `.baseline` into `Pulumi.<stack>.yaml`.
 *
 * Exit codes: 0 clean or fresh; 2 adoption refused (partial, skipped entries, conflict);
 * 1 the command itself failed.
 *
 *   DATABASE_URL=postgres://… npm run adopt -- --from drizzle --out migrations --stack prod
 */
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { AtlasError } from "../atlas/errors.ts";
import { parsePostgresUrl, withDatabase } from "../db/url.ts";
import { AdoptionError, analyseAdoption } from "../drizzle/adopt.ts";
import { ConversionConflictError, convertHistory } from "../drizzle/convert.ts";
import { DrizzleHistoryError, readDrizzleHistory } from "../drizzle/history.ts";
import { formatConversion, formatDecision } from "../drizzle/report.ts";
import { writeStackFile } from "../drizzle/stack-file.ts";
import { ensureToolchain, projectRoot } from "../toolchain/index.ts";

const USAGE = `usage: npm run adopt -- --from <drizzle migrations dir> --out <atlas migrations dir>
         [--stack <name>] [--database-url-env VAR] [--dev-url-env VAR]
         [--migrations-schema drizzle] [--migrations-table __drizzle_migrations] [--json]

The database URL is read from an environment variable (default DATABASE_URL), never from argv.
Scratch databases for the comparison are created on the server in DEV_DATABASE_URL (default:
the target's server).`;

class UsageError extends Error {}

function options() {
  const argv = process.argv.slice(2);
  for (const arg of argv) {
    if (/^--(database-)?url(=|$)|^postgres(ql)?:\/\//.test(arg)) {
      throw new UsageError(
        "Pass the database URL in an environment variable (--database-url-env VAR, default DATABASE_URL), not on the command line: argv is visible to every user of this machine.",
      );
    }
  }
  const { values } = parseArgs({
    args: argv,
    options: {
      from: { type: "string" },
      out: { type: "string" },
      stack: { type: "string" },
      "database-url-env": { type: "string", default: "DATABASE_URL" },
      "dev-url-env": { type: "string", default: "DEV_DATABASE_URL" },
      "migrations-schema": { type: "string", default: "drizzle" },
      "migrations-table": { type: "string", default: "__drizzle_migrations" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (!values.from || !values.out) throw new UsageError("--from and --out are required");
  if (values.stack !== undefined && !/^[A-Za-z0-9_.-]+$/.test(values.stack)) {
    throw new UsageError(`--stack: "${values.stack}" is not a stack name`);
  }
  return { ...values, from: values.from, out: values.out };
}

async function main(): Promise<number> {
  const args = options();
  // npm run changes the working directory to the project root; paths are the user's.
  const userDir = process.env.INIT_CWD ?? process.cwd();
  const from = resolve(userDir, args.from);
  const out = resolve(userDir, args.out);
  const databaseUrl = process.env[args["database-url-env"]];
  if (!databaseUrl) {
    throw new UsageError(
      `${args["database-url-env"]} is not set: export the target database URL in it (or name another variable with --database-url-env)`,
    );
  }
  const target = parsePostgresUrl(databaseUrl, args["database-url-env"]);
  const devUrl = process.env[args["dev-url-env"]] ?? withDatabase(databaseUrl, "postgres");
  parsePostgresUrl(devUrl, args["dev-url-env"]);

  const toolchain = await ensureToolchain((line) => console.error(`toolchain: ${line}`));
  const context = { atlasPath: toolchain.atlas.path, cwd: projectRoot };
  const history = readDrizzleHistory(from);
  const conversion = await convertHistory(context, history, out);
  const decision = await analyseAdoption(context, {
    url: databaseUrl,
    devUrl,
    conversion,
    migrationsSchema: args["migrations-schema"],
    migrationsTable: args["migrations-table"],
  });

  const shown = (path: string) => relative(userDir, path) || ".";
  const lines = args.json
    ? [JSON.stringify({ conversion: conversion.migrations.map(mapEntry), decision }, null, 2)]
    : [
        ...formatConversion(conversion, shown(out), shown(from)),
        `database         ${target.host}:${target.port}/${target.database}`,
        ...formatDecision(decision),
      ];

  const refused = decision.status !== "clean" && decision.status !== "fresh";
  if (args.stack !== undefined) {
    const stackFile = join(projectRoot, `Pulumi.${args.stack}.yaml`);
    if (refused) {
      lines.push(
        `stack file       ${shown(stackFile)} not changed: no baseline is written for a ${decision.status} database`,
      );
    } else {
      const dir = relative(projectRoot, out);
      const change = writeStackFile(stackFile, { dir, baseline: decision.baseline });
      const what =
        decision.baseline === null
          ? `dir ${dir}, no baseline${change.previousBaseline ? ` (removed ${change.previousBaseline}: a fresh database needs none)` : ""}`
          : `dir ${dir}, baseline ${decision.baseline}${change.previousBaseline && change.previousBaseline !== decision.baseline ? ` (was ${change.previousBaseline})` : ""}`;
      lines.push(
        `stack file       ${shown(stackFile)} ${change.created ? "created" : "updated"}: ${CONFIG_KEY} ${what}`,
      );
    }
  }
  console.log(lines.join("\n"));
  return refused ? 2 : 0;
}

const CONFIG_KEY = "atlas-rollout:migrations";

function mapEntry(item: { drizzle: { tag: string; hash: string }; version: string; file: string }) {
  return {
    drizzle: item.drizzle.tag,
    sha256: item.drizzle.hash,
    version: item.version,
    file: item.file,
  };
}

try {
  process.exitCode = await main();
} catch (error) {
  const known =
    error instanceof UsageError ||
    error instanceof DrizzleHistoryError ||
    error instanceof ConversionConflictError ||
    error instanceof AdoptionError;
  console.error(`adopt: ${(error as Error).message}`);
  if (error instanceof UsageError) console.error(USAGE);
  else if (error instanceof AtlasError) console.error(error.details);
  else if (!known) console.error((error as Error).stack ?? "");
  process.exitCode = 1;
}

/** `npm run db:migrate:plan -- [name]`: plans the next migration from the Drizzle schema. */
import { relative } from "node:path";
import { parseArgs } from "node:util";
import { type PlanResult, planMigration } from "../drizzle/plan.ts";
import { ensureToolchain } from "../toolchain/index.ts";
import {
  COMMON_FLAGS,
  COMMON_HELP,
  type MigrateOptions,
  openDevServer,
  resolveMigrateOptions,
  runCommand,
} from "./migrate-options.ts";

const HELP = `Usage: npm run db:migrate:plan -- [name] [options]

Exports the Drizzle schema, compares it with the migration directory on a scratch dev database
and writes the difference as one new migration file (<timestamp>_<name>.sql) plus atlas.sum.
Writes nothing when the directory is already in sync.

${COMMON_HELP}`;

/** Prints what schema modules logged while loading (kept out of the SQL). */
function printConsoleOutput(text: string): void {
  if (!text.trim()) return;
  console.error("schema modules printed (kept out of the SQL):");
  for (const line of text.trimEnd().split("\n")) console.error(`  | ${line}`);
}

let verbose = false;
await runCommand(
  async () => {
    const { values, positionals } = parseArgs({
      options: { ...COMMON_FLAGS, name: { type: "string" } },
      allowPositionals: true,
    });
    verbose = values.verbose ?? false;
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    if (positionals.length > 1)
      throw new Error(`expected at most one name, got: ${positionals.join(" ")}`);
    const name = values.name ?? positionals[0] ?? "";
    if (!/^[A-Za-z0-9_]*$/.test(name)) {
      throw new Error(
        `migration name "${name}": use letters, digits and "_" only (e.g. add_shipments)`,
      );
    }
    const options: MigrateOptions = resolveMigrateOptions(values);
    const toolchain = await ensureToolchain((line) => console.error(line));
    const server = await openDevServer(process.env, (line) => console.error(line));
    let result: PlanResult;
    try {
      result = await planMigration({
        atlasPath: toolchain.atlas.path,
        cwd: options.cwd,
        dir: options.dir,
        name,
        drizzleConfig: options.drizzleConfig,
        extraSql: options.extraSql,
        extensions: options.extensions,
        schemas: options.schemas,
        devServerUrl: server.url,
      });
    } finally {
      await server.stop();
    }
    printConsoleOutput(result.export.consoleOutput);
    const dir = relative(options.cwd, result.dir) || ".";
    console.log(
      `desired state: ${options.drizzleConfig} (${result.export.statements} statements)${options.extraSql.map((file) => ` + ${file}`).join("")}`,
    );
    if (result.status === "in-sync") {
      console.log(`${dir} is in sync with the schema: no migration written.`);
      return 0;
    }
    const summary = result.sql
      .split("\n")
      .filter((line) => line.startsWith("-- "))
      .map((line) => `  ${line.slice(3)}`);
    console.log(`new migration: ${dir}/${result.file}`);
    for (const line of summary) console.log(line);
    if (result.addedEnums.length > 0) {
      console.log(
        `  (added enum types of new schemas that Atlas leaves out: ${result.addedEnums.join(", ")})`,
      );
    }
    console.log(
      `${dir}/atlas.sum updated. Review the file, lint it (npm run db:migrate:lint), commit both.`,
    );
    return 0;
  },
  () => verbose,
);

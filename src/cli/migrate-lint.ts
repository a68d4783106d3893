/** `npm run db:migrate:lint`: lints the latest migration files and prints findings by line. */
import { readdirSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { type LintedFile, migrateLint } from "../atlas/index.ts";

import { ensureToolchain } from "../toolchain/index.ts";
import { formatLint } from "./lint-format.ts";
import {
  COMMON_FLAGS,
  COMMON_HELP,
  resolveMigrateOptions,
  runCommand,
  withScratchDevDatabase,
} from "./migrate-options.ts";

const HELP = `Usage: npm run db:migrate:lint -- [--latest N | --all] [options]

Replays the migration directory on a scratch dev database and runs Atlas's analyzers on the
latest N files (default 1). Prints one line per finding: file:line  code  message.
Exits 1 when a file cannot be replayed; findings alone do not fail (the stack's policies decide
what blocks a rollout).

  --latest <N>             lint the latest N files (default 1)
  --all                    lint every file
${COMMON_HELP}`;

let verbose = false;
await runCommand(
  async () => {
    const { values } = parseArgs({
      options: { ...COMMON_FLAGS, latest: { type: "string" }, all: { type: "boolean" } },
    });
    verbose = values.verbose ?? false;
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const options = resolveMigrateOptions(values);
    const files = readdirSync(resolve(options.cwd, options.dir)).filter((name) =>
      name.endsWith(".sql"),
    );
    if (values.all && values.latest !== undefined)
      throw new Error("pass --latest or --all, not both");
    const latest = values.all ? files.length : Number(values.latest ?? "1");
    if (!Number.isInteger(latest) || latest < 1) {
      throw new Error(`--latest ${values.latest}: must be a whole number of files, 1 or more`);
    }
    const toolchain = await ensureToolchain((line) => console.error(line));
    const linted: LintedFile[] = await withScratchDevDatabase(options, "atlas_lint", (devUrl) =>
      migrateLint(
        { atlasPath: toolchain.atlas.path, cwd: options.cwd },
        { dir: options.dir, devUrl, latest },
      ),
    );
    for (const line of formatLint(linted, options.dir)) console.log(line);
    return linted.some((file) => file.error) ? 1 : 0;
  },
  () => verbose,
);

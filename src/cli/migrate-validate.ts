/** `npm run db:migrate:validate`: checks atlas.sum and replays every file on a scratch database. */
import { readdirSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { migrateValidate } from "../atlas/index.ts";
import { ensureToolchain } from "../toolchain/index.ts";
import {
  COMMON_FLAGS,
  COMMON_HELP,
  resolveMigrateOptions,
  runCommand,
  withScratchDevDatabase,
} from "./migrate-options.ts";

const HELP = `Usage: npm run db:migrate:validate -- [options]

Checks that atlas.sum matches the migration files and that every file replays on a clean
scratch database (with the stack's dev extensions).

${COMMON_HELP}`;

let verbose = false;
await runCommand(
  async () => {
    const { values } = parseArgs({ options: COMMON_FLAGS });
    verbose = values.verbose ?? false;
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const options = resolveMigrateOptions(values);
    const toolchain = await ensureToolchain((line) => console.error(line));
    await withScratchDevDatabase(options, "atlas_validate", (devUrl) =>
      migrateValidate(
        { atlasPath: toolchain.atlas.path, cwd: options.cwd },
        { dir: options.dir, devUrl },
      ),
    );
    const files = readdirSync(resolve(options.cwd, options.dir)).filter((name) =>
      name.endsWith(".sql"),
    );
    console.log(`${options.dir}: atlas.sum matches ${files.length} files; all replay cleanly.`);
    return 0;
  },
  () => verbose,
);

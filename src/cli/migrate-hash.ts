/** `npm run db:migrate:hash`: rewrites atlas.sum after a migration file was added or edited. */
import { readdirSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { migrateHash } from "../atlas/index.ts";
import { ensureToolchain } from "../toolchain/index.ts";
import { COMMON_FLAGS, COMMON_HELP, resolveMigrateOptions, runCommand } from "./migrate-options.ts";

const HELP = `Usage: npm run db:migrate:hash -- [options]

Rewrites atlas.sum for the migration directory. Only for files that no database has applied
yet: editing an applied migration makes every rollout after it refuse the directory.

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
    await migrateHash({ atlasPath: toolchain.atlas.path, cwd: options.cwd }, { dir: options.dir });
    const files = readdirSync(resolve(options.cwd, options.dir)).filter((name) =>
      name.endsWith(".sql"),
    );
    console.log(`${options.dir}/atlas.sum written (${files.length} files).`);
    return 0;
  },
  () => verbose,
);

/**
 * `npm run preview -- --stack <name>` and `npm run up -- --stack <name>`: the migration dry-run
 * and the rollout of one stack, with the policy pack.
 *
 * Flags: --stack (default local), --policy-pack <path>, --policy-pack-config <file>,
 * --no-policy (not for production). ATLAS_ROLLOUT_REPORT_FILE=<file> also writes a Markdown
 * report of the preview.
 */
import { relative } from "node:path";
import { parseArgs } from "node:util";
import { runPreview, runUp, writeMarkdownReport } from "../stack/commands.ts";
import { openNamedStack } from "../stack/named.ts";
import { seconds } from "../stack/report.ts";
import { ensureToolchain, projectRoot } from "../toolchain/index.ts";
import { exitAfterFlush } from "./exit.ts";

const [command, ...rest] = process.argv.slice(2);
if (command !== "preview" && command !== "up") {
  console.error(
    "usage: node src/cli/stack.ts preview|up [--stack <name>] [--policy-pack <path>] [--policy-pack-config <file>] [--no-policy]",
  );
  process.exit(2);
}
const { values } = parseArgs({
  args: rest,
  options: {
    stack: { type: "string", default: "local" },
    "policy-pack": { type: "string" },
    "policy-pack-config": { type: "string" },
    "no-policy": { type: "boolean", default: false },
    yes: { type: "boolean", default: true },
  },
  strict: true,
});

const started = Date.now();
const say = (line: string) => console.log(line);
const toolchain = await ensureToolchain((line) => console.error(`toolchain: ${line}`));
const opened = await openNamedStack(
  values.stack,
  toolchain,
  {
    ...(values["policy-pack"] ? { pack: values["policy-pack"] } : {}),
    ...(values["policy-pack-config"] ? { config: values["policy-pack-config"] } : {}),
    skip: values["no-policy"],
  },
  (line) => console.error(line),
);
let ok = false;
try {
  say(`stack       ${opened.name}${opened.target ? ` → ${opened.target}` : ""}`);
  say(
    `policies    ${opened.policyPacks.length > 0 ? opened.policyPackConfigs.map((file) => relative(projectRoot, file)).join(", ") : "none"}`,
  );
  say(`\npreview (nothing is written to the database)`);
  const preview = await runPreview(opened, say);
  writeMarkdownReport(process.env.ATLAS_ROLLOUT_REPORT_FILE, opened.name, preview);
  ok = preview.ok;
  if (ok && command === "up") {
    say("\nrollout");
    ok = (await runUp(opened, say)).ok;
  }
} finally {
  await opened.close();
}
say(`\n${ok ? "done" : "FAILED"} in ${seconds(Date.now() - started)}`);
await exitAfterFlush(ok ? 0 : 1);

/**
 * `npm start`: sets up the toolchain, starts the embedded PostgreSQL (unless DATABASE_URL is
 * set), previews and then rolls out the local stack, and prints a short report.
 */
import { parsePostgresUrl } from "../db/url.ts";
import { localDatabases, openLocalStack } from "../stack/local.ts";
import { formatPlan, seconds } from "../stack/report.ts";
import { planCollector } from "../stack/workspace.ts";
import { ensureToolchain } from "../toolchain/index.ts";

const started = Date.now();
const say = (line: string) => console.log(line);
const toolchain = await ensureToolchain((line) => console.error(`toolchain: ${line}`));
say(`toolchain   atlas ${toolchain.atlas.version}, pulumi ${toolchain.pulumi.version}`);
const databases = await localDatabases(process.env, (line) => console.error(line));
try {
  const target = parsePostgresUrl(databases.databaseUrl);
  say(
    `target      ${target.host}:${target.port}/${target.database}${databases.embedded ? " (embedded PostgreSQL)" : ""}`,
  );
  const stack = await openLocalStack(toolchain, databases);

  say("\npreview (nothing is written to the database)");
  const collected = planCollector();
  const preview = await stack.preview({ onEvent: collected.onEvent });
  for (const plan of collected.plans.values()) say(formatPlan(plan));
  const changes = Object.entries(preview.changeSummary)
    .filter(([op, count]) => op !== "same" && count > 0)
    .map(([op, count]) => `${op} ${count}`);
  say(`  engine      ${changes.length > 0 ? changes.join(", ") : "no changes"}`);

  say("\nrollout");
  const up = await stack.up({ onOutput: () => {} });
  const outputs = up.outputs;
  const summary = Object.entries(up.summary.resourceChanges ?? {})
    .filter(([op, count]) => op !== "same" && (count ?? 0) > 0)
    .map(([op, count]) => `${op} ${count}`);
  // Outputs keep the last rollout's files; report them only when this run changed something.
  const applied = (summary.length > 0 ? (outputs.appliedFiles?.value ?? []) : []) as {
    name: string;
    statements: number;
    durationMs: number;
  }[];
  if (applied.length === 0) say("  applied     nothing (already up to date)");
  for (const file of applied)
    say(`  applied     ${file.name}  ${file.statements} statement(s), ${file.durationMs} ms`);
  say(
    `  version     ${outputs.currentVersion?.value ?? "none"}  (status ${outputs.status?.value ?? "unknown"})`,
  );
  say(`  engine      ${summary.length > 0 ? summary.join(", ") : "no changes"}`);
  say(`\ndone in ${seconds(Date.now() - started)}`);
} finally {
  await databases.embedded?.stop();
}

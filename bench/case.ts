/**
 * One measured case, run in its own process by `bench/run.ts` so that the memory of its whole
 * process tree is attributable to it. Reads its options as JSON from BENCH_CASE and prints the
 * product's own report lines, then one final line `BENCH {json}` with timestamps (ms since
 * this process started) of its phases.
 *
 * Cases:
 * - `preview` / `up`: the product's `runPreview` / `runUp` on a stack with the policy pack and
 *   the local policy config; `empty: true` declares no resources (the engine's fixed cost).
 * - `drizzle`: drizzle-orm's node-postgres migrator on a drizzle-kit 0.x history.
 *
 * Modules are imported inside each case, so that a case loads only what it runs.
 */
import { join } from "node:path";
import type { OpenedStack } from "../src/stack/named.ts";

/** Options of one case (JSON in BENCH_CASE). */
export type CaseOptions =
  | {
      readonly kind: "preview" | "up";
      readonly databaseUrl: string;
      readonly devDatabaseUrl: string;
      readonly migrationsDir: string;
      /** Folder for the stack's work directory and file state backend. */
      readonly root: string;
      /** Declare no resources: measures the engine, automation and policy-pack start-up. */
      readonly empty: boolean;
      /** Extra environment for the engine and its plugins (profiling hooks). */
      readonly engineEnv: Readonly<Record<string, string>>;
    }
  | {
      readonly kind: "drizzle";
      readonly databaseUrl: string;
      readonly migrationsFolder: string;
    };

const marks: Record<string, number> = { imported: performance.now() };
const mark = (name: string) => {
  marks[name] = performance.now();
};
const options = JSON.parse(process.env.BENCH_CASE ?? "{}") as CaseOptions;
let ok = false;

if (options.kind === "drizzle") {
  const { drizzle } = await import("drizzle-orm/node-postgres");
  const { migrate } = await import("drizzle-orm/node-postgres/migrator");
  const { default: pg } = await import("pg");
  mark("loaded");
  const pool = new pg.Pool({ connectionString: options.databaseUrl });
  try {
    await migrate(drizzle(pool), { migrationsFolder: options.migrationsFolder });
    ok = true;
  } finally {
    await pool.end();
  }
  mark("done");
} else {
  const { rolloutProgram } = await import("../infra/program.ts");
  const { POLICY_PACK_PATH, policyConfigPath } = await import("../policies/location.ts");
  const { runPreview, runUp } = await import("../src/stack/commands.ts");
  const { openStack } = await import("../src/stack/workspace.ts");
  const { ensureToolchain } = await import("../src/toolchain/index.ts");
  mark("loaded");
  const toolchain = await ensureToolchain();
  mark("toolchain");
  const stack = await openStack(toolchain, {
    stackName: "bench",
    workDir: join(options.root, "work"),
    backendUrl: `file://${join(options.root, "state")}`,
    passphrase: "bench",
    program: options.empty
      ? async () => ({})
      : rolloutProgram({
          databaseUrl: options.databaseUrl,
          devDatabaseUrl: options.devDatabaseUrl,
        }),
    config: {
      "atlas-rollout:environment": { value: "local" },
      "atlas-rollout:migrations": {
        value: JSON.stringify({ dir: options.migrationsDir, txMode: "file" }),
      },
      "atlas-rollout:database": { value: "{}" },
    },
  });
  Object.assign(stack.workspace.envVars, options.engineEnv);
  mark("opened");
  const opened: OpenedStack = {
    name: "bench",
    stack,
    target: undefined,
    policyPacks: [POLICY_PACK_PATH],
    policyPackConfigs: [policyConfigPath("local")],
    close: async () => {},
  };
  const say = (line: string) => console.log(line);
  ok =
    options.kind === "preview" ? (await runPreview(opened, say)).ok : (await runUp(opened, say)).ok;
  mark("done");
}

console.log(`BENCH ${JSON.stringify({ ok, marks })}`);
// Wait until stdout is flushed: process.exit() drops whatever a pipe has not taken yet (the
// report of a large preview is far more than the 64 KiB a pipe buffers).
await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
process.exit(ok ? 0 : 1);

/**
 * `npm run bench`: measures raw Atlas, the product (preview and up through the Pulumi engine with
 * the policy pack), drizzle-orm's migrator and a warm `npm start`, side by side, on generated
 * migration histories of several sizes, each case in its own process on fresh databases.
 * Prints the table and writes it to bench/results.md. See docs/benchmark.md.
 *
 * Flags:
 *   --sizes 1,10,100,1000   numbers of migration files (default)
 *   --runs <n>              runs per case (default: 3 for N ≤ 100, 1 above)
 *   --quick                 sizes 1,10 and one run each
 *   --profile               also trace and CPU-profile one preview and one up
 *   --profile-size <n>      N for --profile (default: the largest size up to 100)
 *   --profile-cases <list>  which commands to profile: preview,up,up-after-preview (default all)
 *   --skip <case,…>         leave cases out (e.g. atlas-status-lint,product-preview)
 *   --out <file>            where to write the Markdown (default bench/results.md)
 *   --timeout-minutes <m>   per-case limit (default 60)
 *
 * BENCH_DATABASE_SERVER_URL: the PostgreSQL server for the scratch databases (default
 * postgres://postgres@127.0.0.1:5432/postgres; it needs CREATEDB).
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { ensureToolchain, projectRoot } from "../src/toolchain/index.ts";
import {
  benchWorkDir,
  CASES,
  type CaseContext,
  type CaseName,
  type CaseRun,
  FIXED_CASES,
  type FixedCaseName,
  RUNNERS,
  runCase,
  runEngineCase,
  runNpmStartWarm,
  type SizeInputs,
} from "./cases.ts";
import { generateMigrations, writeAtlasDirectory, writeDrizzleHistory } from "./generate.ts";
import { cpuProfilesOf, formatCpuProfile, formatTrace, readTrace } from "./profile.ts";
import {
  formatMarks,
  formatResults,
  formatTargets,
  type Results,
  ratiosFor,
  type Summary,
  summarize,
  timeline,
} from "./report.ts";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "1,10,100,1000" },
    runs: { type: "string" },
    quick: { type: "boolean", default: false },
    profile: { type: "boolean", default: false },
    "profile-size": { type: "string" },
    "profile-cases": { type: "string", default: "preview,up,up-after-preview" },
    skip: { type: "string", default: "" },
    out: { type: "string", default: join(projectRoot, "bench", "results.md") },
    "timeout-minutes": { type: "string", default: "60" },
  },
  strict: true,
});

const sizes = (values.quick ? "1,10" : values.sizes)
  .split(",")
  .map((item) => Number(item.trim()))
  .filter((item) => Number.isInteger(item) && item > 0);
if (sizes.length === 0) throw new Error("--sizes: give positive integers, e.g. --sizes 1,10");
const runsFor = (size: number) =>
  values.quick ? 1 : values.runs ? Number(values.runs) : size <= 100 ? 3 : 1;
const skipped = new Set(values.skip.split(",").filter(Boolean));
const PROFILE_CASES = ["preview", "up", "up-after-preview"] as const;
const profileCases = values["profile-cases"].split(",").map((item) => {
  const found = PROFILE_CASES.find((name) => name === item.trim());
  if (!found)
    throw new Error(`--profile-cases: "${item}" is not one of ${PROFILE_CASES.join(", ")}`);
  return found;
});
const serverUrl =
  process.env.BENCH_DATABASE_SERVER_URL ??
  "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable";

const started = performance.now();
const log = (line: string) =>
  console.error(`[${((performance.now() - started) / 1000).toFixed(0).padStart(5)} s] ${line}`);
const toolchain = await ensureToolchain((line) => log(`toolchain: ${line}`));
const workDir = benchWorkDir(join(tmpdir(), "atlas-rollout-bench"));
const context: CaseContext = {
  atlasPath: toolchain.atlas.path,
  serverUrl,
  workDir,
  timeoutMs: Number(values["timeout-minutes"]) * 60_000,
};
const notes: string[] = [];

function describe(run: CaseRun): string {
  const state = run.ok ? "ok" : `FAILED (${run.problem})`;
  const marks = run.marks ? `  [${formatMarks(run.marks)}]` : "";
  return `${(run.wallMs / 1000).toFixed(2)} s, ${Math.round(run.peakTreeBytes / 1048576)} MiB, ${state}${marks}`;
}

function keepLog(name: string, run: CaseRun): void {
  if (run.ok) return;
  const file = join(workDir, `${name}.log`);
  writeFileSync(file, `${run.stdout}\n--- stderr ---\n${run.stderr}`);
  log(`  output kept in ${file}`);
  notes.push(`${name} failed: ${run.problem}`);
}

try {
  // Fixed costs first: the engine with nothing declared, and a warm `npm start`.
  const fixedRuns = new Map<FixedCaseName, CaseRun[]>(FIXED_CASES.map((name) => [name, []]));
  const fixedCount = Math.max(...sizes.map(runsFor));
  for (let run = 0; run < fixedCount; run++) {
    for (const kind of ["preview", "up"] as const) {
      const name: FixedCaseName = `engine-${kind}`;
      if (skipped.has(name)) continue;
      const result = await runEngineCase(kind, context);
      log(`${name} #${run + 1}: ${describe(result)}`);
      keepLog(`${name}-${run}`, result);
      fixedRuns.get(name)?.push(result);
    }
  }
  if (!skipped.has("npm-start-warm")) {
    log(`npm-start-warm: one untimed run, then ${fixedCount} warm run(s)`);
    const warm = await runNpmStartWarm(context, fixedCount);
    for (const [index, result] of warm.entries()) {
      log(`npm-start-warm #${index + 1}: ${describe(result)}`);
      keepLog(`npm-start-${index}`, result);
    }
    fixedRuns.set("npm-start-warm", warm);
  }

  const bySize = new Map<number, Map<CaseName, Summary>>();
  for (const size of sizes) {
    const inputs: SizeInputs = {
      count: size,
      atlasDir: join(workDir, `atlas-${size}`),
      drizzleDir: join(workDir, `drizzle-${size}`),
    };
    const migrations = generateMigrations(size);
    await writeAtlasDirectory(inputs.atlasDir, migrations, {
      atlasPath: toolchain.atlas.path,
      cwd: workDir,
    });
    writeDrizzleHistory(inputs.drizzleDir, migrations);
    const statements = migrations.reduce((sum, item) => sum + item.statements.length, 0);
    log(`N = ${size}: ${size} files, ${statements} statements, ${runsFor(size)} run(s) per case`);
    const runs = new Map<CaseName, CaseRun[]>(CASES.map((name) => [name, []]));
    // Rounds interleave the cases, so that a busy moment on the machine hits all of them.
    for (let round = 0; round < runsFor(size); round++) {
      for (const runner of RUNNERS) {
        if (skipped.has(runner)) continue;
        for (const [name, result] of await runCase(runner, inputs, context)) {
          log(`  ${name} #${round + 1}: ${describe(result)}`);
          keepLog(`${name}-${size}-${round}`, result);
          runs.get(name)?.push(result);
        }
      }
    }
    bySize.set(size, new Map([...runs.entries()].map(([name, list]) => [name, summarize(list)])));
  }

  const fixed = new Map(
    [...fixedRuns.entries()].map(([name, list]) => [name, summarize(list)] as const),
  );
  const machine = `${cpus().length} CPU (${cpus()[0]?.model.trim() ?? "?"}), ${(totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, PostgreSQL at ${new URL(serverUrl).host}, ${toolchain.atlas.version} Atlas, ${toolchain.pulumi.version} Pulumi CLI, Node ${process.versions.node}`;
  let results: Results = {
    sizes,
    bySize,
    fixed,
    machine,
    date: new Date().toISOString().slice(0, 16).replace("T", " "),
    totalMs: performance.now() - started,
    notes,
  };

  const largest = sizes.at(-1) as number;
  const sections: string[] = [];
  const titles = {
    "product-preview": "preview",
    "product-up": "up alone",
    "product-up-after-preview": "up right after the preview",
  } as const;
  for (const name of ["product-preview", "product-up", "product-up-after-preview"] as const) {
    const typical = bySize.get(largest)?.get(name)?.typical;
    if (!typical) continue;
    sections.push(
      `#### Timeline of the median ${titles[name]} at N = ${largest.toLocaleString("en")}\n\nIn-process marks: ${formatMarks(typical.marks)}\n\n${timeline(typical.processes, typical.wallMs)}`,
    );
  }
  const start = fixed.get("npm-start-warm")?.typical;
  if (start) {
    sections.push(
      `#### Timeline of the median warm \`npm start\` (nothing pending)\n\n${timeline(start.processes, start.wallMs)}`,
    );
  }
  const raw = bySize.get(largest)?.get("atlas-status-lint")?.typical;
  if (raw) {
    sections.push(
      `#### Timeline of raw \`migrate status\` + \`migrate lint\` at N = ${largest.toLocaleString("en")}\n\n${timeline(raw.processes, raw.wallMs)}`,
    );
  }

  if (values.profile) {
    const profileDir = join(workDir, "profile");
    mkdirSync(profileDir, { recursive: true });
    const profiled = values["profile-size"]
      ? Number(values["profile-size"])
      : Math.max(...sizes.filter((size) => size <= 100), sizes[0] as number);
    const inputs: SizeInputs = {
      count: profiled,
      atlasDir: join(workDir, `atlas-${profiled}`),
      drizzleDir: join(workDir, `drizzle-${profiled}`),
    };
    if (!sizes.includes(profiled)) {
      const migrations = generateMigrations(profiled);
      await writeAtlasDirectory(inputs.atlasDir, migrations, {
        atlasPath: toolchain.atlas.path,
        cwd: workDir,
      });
    }
    const targets = {
      preview: { runner: "product-preview", command: "preview", title: "preview" },
      up: { runner: "product-up", command: "up", title: "up alone" },
      "up-after-preview": {
        runner: "product-preview",
        command: "up",
        title: "up right after a preview (the preview itself not hooked)",
      },
    } as const;
    for (const key of profileCases) {
      const target = targets[key];
      const traceFile = join(profileDir, `${key}.jsonl`);
      const cpuDir = join(profileDir, `${key}-cpu`);
      const hook = new URL("./hooks/trace.ts", import.meta.url).href;
      const runs = await runCase(target.runner, inputs, {
        ...context,
        profile: {
          command: target.command,
          cpuProfileDir: cpuDir,
          engineEnv: {
            NODE_OPTIONS: `--import=${hook} --cpu-prof --cpu-prof-dir=${cpuDir}`,
            BENCH_TRACE_FILE: traceFile,
          },
        },
      });
      const result = runs.at(-1)?.[1] as CaseRun;
      log(`profile ${key}: ${describe(result)}`);
      keepLog(`profile-${key}`, result);
      const events = readTrace(traceFile);
      const parts = [
        `#### Profile of one ${target.title} at N = ${profiled.toLocaleString("en")} (hooks on: ${(result.wallMs / 1000).toFixed(1)} s)`,
        "",
        `In-process marks: ${formatMarks(result.marks)}`,
        "",
        formatTrace(events),
      ];
      for (const file of cpuProfilesOf(cpuDir, result.pid)) {
        parts.push(
          "",
          `CPU profile of the process that runs the Automation API and the inline program (pid ${result.pid}):`,
          "",
          formatCpuProfile(file),
        );
      }
      for (const plugin of events.filter((event) => event.kind === "start")) {
        const what = plugin.role === "provider" ? "the dynamic provider" : "the policy pack";
        for (const file of cpuProfilesOf(cpuDir, plugin.pid)) {
          parts.push("", `CPU profile of ${what} (pid ${plugin.pid}):`, "", formatCpuProfile(file));
        }
      }
      sections.push(parts.join("\n"));
    }
  }
  results = { ...results, totalMs: performance.now() - started };

  const table = formatResults(results);
  const verdicts = sizes.map((size) => {
    const ratios = ratiosFor(results, size);
    return `N = ${size}: preview overhead ${ratios.previewOverhead.toFixed(2)}×, up alone ${ratios.upRatio.toFixed(2)}× raw apply, up after preview ${ratios.upAfterPreviewRatio.toFixed(2)}× (${ratios.upAfterPreviewOverhead.toFixed(2)}× without the engine)`;
  });
  const markdown = [
    "<!-- Written by `npm run bench`; see docs/benchmark.md for what is measured. -->",
    "",
    `### Benchmark results (${results.date} UTC)`,
    "",
    `Machine: ${results.machine}. Each cell: median wall time · median peak memory of the whole process tree (sum of RSS). Runs per case: ${sizes.map((size) => `${runsFor(size)} at N = ${size}`).join(", ")}. Whole bench: ${(results.totalMs / 60_000).toFixed(1)} min.`,
    "",
    table,
    "",
    "Targets:",
    "",
    formatTargets(results),
    "",
    ...(notes.length > 0 ? ["Failures:", "", ...notes.map((note) => `- ${note}`), ""] : []),
    ...sections.flatMap((section) => [section, ""]),
  ].join("\n");
  writeFileSync(values.out, markdown);
  console.log(
    `\n${table}\n\n${verdicts.join("\n")}\n\nWritten to ${relative(process.cwd(), values.out)}`,
  );
} finally {
  rmSync(workDir, { recursive: true, force: true });
}

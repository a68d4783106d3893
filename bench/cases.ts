/**
 * The measured cases: how each one is started as its own process on fresh databases, and how
 * its result is checked afterwards (outside the measured time).
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CONFIG_ENV } from "../src/atlas/client.ts";
import { endpoint } from "../src/atlas/endpoint.ts";
import {
  LINT_CONFIG,
  migrateApplyArgs,
  migrateLintArgs,
  migrateStatusArgs,
} from "../src/atlas/migrate.ts";
import { createScratchDatabase, query, type ScratchDatabase } from "../src/db/scratch.ts";
import { cacheRoot, projectRoot, QUIET_CLI_ENV } from "../src/toolchain/index.ts";
import type { CaseOptions } from "./case.ts";
import { type CommandSpec, type Measurement, measure, measureSequence } from "./measure.ts";

/** Names of the measured cases, in table order. */
export const CASES = [
  "atlas-status-lint",
  "product-preview",
  "atlas-apply",
  "product-up",
  "product-up-after-preview",
  "drizzle-migrator",
] as const;
export type CaseName = (typeof CASES)[number];

/**
 * What one round runs. `product-preview` is followed by `product-up-after-preview` on the same
 * target, stack and cache, as `npm run up` does (preview, then up): that up finds the lint
 * results the preview stored. `product-up` runs alone with an empty cache.
 */
export const RUNNERS = [
  "atlas-status-lint",
  "product-preview",
  "atlas-apply",
  "product-up",
  "drizzle-migrator",
] as const satisfies readonly CaseName[];
export type RunnerName = (typeof RUNNERS)[number];

/** Cases that do not depend on N. */
export const FIXED_CASES = ["engine-preview", "engine-up", "npm-start-warm"] as const;
export type FixedCaseName = (typeof FIXED_CASES)[number];

/** What a case run needs besides its name. */
export interface CaseContext {
  readonly atlasPath: string;
  /** Server where fresh databases are created (needs CREATEDB). */
  readonly serverUrl: string;
  /** Scratch folder of this bench run. */
  readonly workDir: string;
  /** Per-case time limit. */
  readonly timeoutMs: number;
  /** Profiling hooks for one command of a product case (see bench/hooks/trace.ts). */
  readonly profile?: Profiling;
}

/** How to profile a product case. */
export interface Profiling {
  /**
   * The command that gets the hooks. For `product-preview`: `preview` profiles the preview and
   * skips the up that normally follows; `up` profiles that up (after an unhooked preview).
   */
  readonly command: "preview" | "up";
  /** Environment for the engine's Node plugins (NODE_OPTIONS with the hook, trace file). */
  readonly engineEnv: Readonly<Record<string, string>>;
  /** Folder for the V8 CPU profile of the case process itself. */
  readonly cpuProfileDir: string;
}

/** One size's inputs: the same migrations in both layouts. */
export interface SizeInputs {
  readonly count: number;
  readonly atlasDir: string;
  readonly drizzleDir: string;
}

/** A finished case run: its measurement and whether it did what it should. */
export interface CaseRun extends Measurement {
  readonly ok: boolean;
  /** Why it is not ok. */
  readonly problem?: string;
  /** Timestamps printed by bench/case.ts (ms since that process started). */
  readonly marks?: Readonly<Record<string, number>>;
}

/**
 * A cache root of its own for each product run, so that no run reuses an earlier run's lint
 * results; the built CLIs are shared through a link to the real cache.
 */
function freshCacheRoot(workDir: string): string {
  const root = mkdtempSync(join(workDir, "cache-"));
  symlinkSync(join(cacheRoot(), "toolchain"), join(root, "toolchain"));
  return root;
}

function nodeCase(
  options: CaseOptions,
  context: CaseContext,
  cache: string,
  profile?: Profiling,
): CommandSpec {
  return {
    command: process.execPath,
    args: [
      ...(profile ? ["--cpu-prof", `--cpu-prof-dir=${profile.cpuProfileDir}`] : []),
      join(projectRoot, "bench", "case.ts"),
    ],
    cwd: projectRoot,
    env: { ...process.env, ATLAS_ROLLOUT_CACHE: cache, BENCH_CASE: JSON.stringify(options) },
    timeoutMs: context.timeoutMs,
  };
}

function atlasCommand(context: CaseContext, argv: readonly string[]): CommandSpec {
  return {
    command: context.atlasPath,
    args: argv,
    cwd: context.workDir,
    env: { ...process.env, ...QUIET_CLI_ENV },
    timeoutMs: context.timeoutMs,
  };
}

function marksOf(stdout: string): Record<string, number> | undefined {
  const line = stdout.split("\n").find((text) => text.startsWith("BENCH "));
  return line ? (JSON.parse(line.slice(6)) as { marks: Record<string, number> }).marks : undefined;
}

async function count(url: string, sql: string): Promise<number> {
  try {
    const rows = await query<{ n: string }>(url, sql);
    return Number(rows[0]?.n ?? 0);
  } catch {
    return 0;
  }
}

const ATLAS_REVISIONS =
  "SELECT count(*) AS n FROM atlas_schema_revisions.atlas_schema_revisions WHERE type & 2 = 2";
const DRIZZLE_ROWS = "SELECT count(*) AS n FROM drizzle.__drizzle_migrations";

async function appliedProblem(url: string, expected: number): Promise<string | undefined> {
  const applied = await count(url, ATLAS_REVISIONS);
  return applied === expected ? undefined : `${applied} of ${expected} revisions applied`;
}

function productOptions(
  kind: "preview" | "up",
  databaseUrl: string,
  inputs: SizeInputs,
  root: string,
  context: CaseContext,
  profile: Profiling | undefined,
): Extract<CaseOptions, { readonly kind: "preview" | "up" }> {
  return {
    kind,
    databaseUrl,
    devDatabaseUrl: context.serverUrl,
    migrationsDir: inputs.atlasDir,
    root,
    empty: false,
    engineEnv: profile?.engineEnv ?? {},
  };
}

function verdict(run: Measurement, problem: string | undefined): CaseRun {
  const failed = run.exitCode !== 0 ? `exit code ${run.exitCode}` : problem;
  const marks = marksOf(run.stdout);
  return {
    ...run,
    ok: failed === undefined,
    ...(failed ? { problem: failed } : {}),
    ...(marks ? { marks } : {}),
  };
}

/** Runs one case (two for `product-preview`) on fresh databases, checks, drops them. */
export async function runCase(
  name: RunnerName,
  inputs: SizeInputs,
  context: CaseContext,
): Promise<[CaseName, CaseRun][]> {
  const target = await createScratchDatabase(context.serverUrl, "bench_target");
  const extra: ScratchDatabase[] = [];
  const scratch = mkdtempSync(join(context.workDir, `${name}-`));
  try {
    switch (name) {
      case "atlas-status-lint": {
        const dev = await createScratchDatabase(context.serverUrl, "bench_dev");
        extra.push(dev);
        const config = join(scratch, "atlas.hcl");
        writeFileSync(config, LINT_CONFIG);
        const status = migrateStatusArgs(
          endpoint(target.url, "url"),
          { url: target.url, dir: inputs.atlasDir },
          scratch,
        );
        const lint = [
          ...migrateLintArgs(
            endpoint(dev.url, "dev url"),
            { devUrl: dev.url, dir: inputs.atlasDir, latest: inputs.count },
            scratch,
          ),
          "--config",
          `file://${config}`,
          "--env",
          CONFIG_ENV,
        ];
        const run = await measureSequence([
          atlasCommand(context, status),
          atlasCommand(context, lint),
        ]);
        const files = (run.stdout.match(/"Name":/g) ?? []).length;
        return [[name, verdict(run, files === 0 ? "lint printed no files" : undefined)]];
      }
      case "atlas-apply": {
        const argv = migrateApplyArgs(
          endpoint(target.url, "url"),
          { url: target.url, dir: inputs.atlasDir },
          scratch,
        );
        const run = await measure(atlasCommand(context, argv));
        return [[name, verdict(run, await appliedProblem(target.url, inputs.count))]];
      }
      case "product-preview": {
        const profile = context.profile;
        const hooked = profile?.command === "preview" ? profile : undefined;
        const options = productOptions("preview", target.url, inputs, scratch, context, hooked);
        const cache = freshCacheRoot(scratch);
        const preview = await measure(nodeCase(options, context, cache, hooked));
        const plannedAll = preview.stdout.includes(`pending     ${inputs.count} file(s)`);
        const linted = /\n {2}lint {8}\d+ finding/.test(preview.stdout);
        const written = await count(target.url, ATLAS_REVISIONS);
        const previewRun = verdict(
          preview,
          written > 0
            ? "preview wrote to the target"
            : !plannedAll
              ? "no plan for every file"
              : !linted
                ? "lint did not run"
                : undefined,
        );
        if (!previewRun.ok || hooked) return [[name, previewRun]];
        const upHooked = profile?.command === "up" ? profile : undefined;
        const upOptions = productOptions("up", target.url, inputs, scratch, context, upHooked);
        const up = await measure(nodeCase(upOptions, context, cache, upHooked));
        return [
          [name, previewRun],
          ["product-up-after-preview", verdict(up, await appliedProblem(target.url, inputs.count))],
        ];
      }
      case "product-up": {
        const profile = context.profile;
        const options = productOptions("up", target.url, inputs, scratch, context, profile);
        const run = await measure(nodeCase(options, context, freshCacheRoot(scratch), profile));
        return [[name, verdict(run, await appliedProblem(target.url, inputs.count))]];
      }
      default: {
        const options: CaseOptions = {
          kind: "drizzle",
          databaseUrl: target.url,
          migrationsFolder: inputs.drizzleDir,
        };
        const run = await measure(nodeCase(options, context, cacheRoot()));
        const applied = await count(target.url, DRIZZLE_ROWS);
        return [[name, verdict(run, applied === inputs.count ? undefined : `${applied} rows`)]];
      }
    }
  } finally {
    await target.drop();
    for (const database of extra) await database.drop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Runs the product's preview or up of a stack that declares nothing: the engine's fixed cost. */
export async function runEngineCase(
  kind: "preview" | "up",
  context: CaseContext,
): Promise<CaseRun> {
  const scratch = mkdtempSync(join(context.workDir, `engine-${kind}-`));
  try {
    const options: CaseOptions = {
      kind,
      databaseUrl: context.serverUrl,
      devDatabaseUrl: context.serverUrl,
      migrationsDir: scratch,
      root: scratch,
      empty: true,
      engineEnv: {},
    };
    const run = await measure(nodeCase(options, context, freshCacheRoot(scratch)));
    return verdict(run, undefined);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * `npm start` against a scratch database (DATABASE_URL), so the embedded server is not touched:
 * one untimed run applies the example's migrations, then `runs` warm runs find nothing pending.
 */
export async function runNpmStartWarm(context: CaseContext, runs: number): Promise<CaseRun[]> {
  const target = await createScratchDatabase(context.serverUrl, "bench_start");
  const spec: CommandSpec = {
    command: "npm",
    args: ["start", "--silent"],
    cwd: projectRoot,
    env: { ...process.env, DATABASE_URL: target.url },
    timeoutMs: context.timeoutMs,
  };
  try {
    const first = await measure(spec);
    if (first.exitCode !== 0) return [verdict(first, "first run failed")];
    const results: CaseRun[] = [];
    for (let run = 0; run < runs; run++) {
      const warm = await measure(spec);
      const nothing = warm.stdout.includes("applied     nothing");
      results.push(verdict(warm, nothing ? undefined : "something was applied"));
    }
    return results;
  } finally {
    await target.drop();
  }
}

/** Makes the folder for one bench run's scratch files. */
export function benchWorkDir(base: string): string {
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, "run-"));
}

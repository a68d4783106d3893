import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { execa } from "execa";
import { parseVersionOutput, pinnedVersion, recipeRoot, TOOLS, type ToolSpec } from "./tools.ts";

/** Where a resolved tool came from. */
export type ToolSource = "path" | "cache" | "built";

/** A resolved, version-checked executable. */
export interface ResolvedTool {
  readonly name: ToolSpec["name"];
  readonly version: string;
  readonly path: string;
  readonly source: ToolSource;
}

/** Receives one short human-readable line per step of a long operation. */
export type ProgressSink = (line: string) => void;

/** Root of the per-user build cache (outside the repository, shared by every checkout). */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ATLAS_ROLLOUT_CACHE) return env.ATLAS_ROLLOUT_CACHE;
  return join(env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "atlas-rollout");
}

/** Environment for every CLI run: update checks and notifiers off (they corrupt JSON on stdout). */
export const QUIET_CLI_ENV: Readonly<Record<string, string>> = {
  ATLAS_NO_UPDATE_NOTIFIER: "1",
  ATLAS_NO_UPGRADE_SUGGESTIONS: "1",
  ATLAS_NO_ANON_TELEMETRY: "true",
  PULUMI_SKIP_UPDATE_CHECK: "true",
  // Off by default (offline machines); CI that may download provider plugins (the GitHub
  // provider) sets PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=false.
  PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION:
    process.env.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION ?? "true",
};

async function versionOf(executable: string, tool: ToolSpec): Promise<string | undefined> {
  const result = await execa(executable, [...tool.versionArgs], {
    reject: false,
    timeout: 30_000,
    env: QUIET_CLI_ENV,
  });
  return result.exitCode === 0 ? parseVersionOutput(`${result.stdout}`) : undefined;
}

function findOnPath(name: string, env: NodeJS.ProcessEnv): string[] {
  return (env.PATH ?? "")
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, name))
    .filter((candidate) => existsSync(candidate));
}

async function goVersion(): Promise<string> {
  const result = await execa("go", ["env", "GOVERSION"], { reject: false, timeout: 30_000 });
  if (result.exitCode !== 0) {
    throw new Error(
      "Go is required to build the pinned Atlas and Pulumi CLIs (none with the pinned version is on PATH). " +
        "Install Go >= 1.26 (https://go.dev/doc/install, or `apt-get install golang`) and run again, " +
        "or put the pinned binaries on PATH.",
    );
  }
  return `${result.stdout}`.trim();
}

/** Cache folder for one tool: keyed by version and by a hash of the recipe and Go version. */
export function cacheDirFor(tool: ToolSpec, version: string, go: string, root: string): string {
  const recipe = ["go.mod", "go.sum", "tools.go"]
    .map((file) => readFileSync(join(recipeRoot, tool.name, file), "utf8"))
    .join("\0");
  const key = createHash("sha256").update(recipe).update(go).digest("hex").slice(0, 12);
  return join(root, "toolchain", `${tool.name}-${version}-${key}`);
}

async function build(tool: ToolSpec, version: string, target: string, progress: ProgressSink) {
  const staging = `${target}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const started = Date.now();
  progress(`building ${tool.name} ${version} from the Go module proxy (first run only; minutes)`);
  const timer = setInterval(
    () => progress(`  … ${tool.name}: ${Math.round((Date.now() - started) / 1000)}s`),
    20_000,
  );
  try {
    const result = await execa(
      "go",
      [
        "build",
        "-mod=readonly",
        "-trimpath",
        "-o",
        join(staging, tool.name),
        "-ldflags",
        `-s -w -X ${tool.versionVariable}=${version}`,
        tool.goPackage,
      ],
      { cwd: join(recipeRoot, tool.name), reject: false, all: true, timeout: 45 * 60_000 },
    );
    if (result.exitCode !== 0) {
      throw new Error(
        `Building ${tool.name} ${version} failed (go build in toolchain/${tool.name}, exit ${result.exitCode}):\n${result.all}`,
      );
    }
    mkdirSync(join(target, ".."), { recursive: true });
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
  } finally {
    clearInterval(timer);
    rmSync(staging, { recursive: true, force: true });
  }
  progress(`built ${tool.name} ${version} in ${Math.round((Date.now() - started) / 1000)}s`);
}

const resolved = new Map<string, Promise<ResolvedTool>>();

/**
 * Returns the pinned CLI: from PATH when it reports the pinned version, else from the
 * per-user cache, else built from the Go module proxy into that cache. Resolved once per process
 * (the dynamic provider calls this for every check, create and update).
 */
export function ensureTool(
  name: ToolSpec["name"],
  progress: ProgressSink = () => {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<ResolvedTool> {
  const key = `${name}\0${env.ATLAS_ROLLOUT_NO_PATH_TOOLS ?? ""}\0${env[`ATLAS_ROLLOUT_${name.toUpperCase()}`] ?? ""}\0${env.PATH ?? ""}`;
  let pending = resolved.get(key);
  if (!pending) {
    pending = resolveTool(name, progress, env);
    resolved.set(key, pending);
    pending.catch(() => resolved.delete(key));
  }
  return pending;
}

async function resolveTool(
  name: ToolSpec["name"],
  progress: ProgressSink = () => {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<ResolvedTool> {
  const tool = TOOLS[name];
  const version = pinnedVersion(tool);
  // ATLAS_ROLLOUT_ATLAS / ATLAS_ROLLOUT_PULUMI: an explicit binary (official builds live anywhere).
  const explicit = env[`ATLAS_ROLLOUT_${name.toUpperCase()}`];
  if (explicit) {
    const reported = await versionOf(explicit, tool);
    if (reported !== version) {
      throw new Error(
        `ATLAS_ROLLOUT_${name.toUpperCase()}=${explicit} reports version ${reported ?? "(none)"}, but this project pins ${version}.`,
      );
    }
    return { name, version, path: explicit, source: "path" };
  }
  if (env.ATLAS_ROLLOUT_NO_PATH_TOOLS !== "1") {
    for (const candidate of findOnPath(tool.name, env)) {
      if ((await versionOf(candidate, tool)) === version) {
        return { name, version, path: candidate, source: "path" };
      }
    }
  }
  const dir = cacheDirFor(tool, version, await goVersion(), cacheRoot(env));
  const executable = join(dir, tool.name);
  let source: ToolSource = "cache";
  if (!existsSync(executable)) {
    await build(tool, version, dir, progress);
    source = "built";
  }
  const reported = await versionOf(executable, tool);
  if (reported !== version) {
    throw new Error(
      `${executable} reports version ${reported ?? "(none)"}, expected ${version}. Delete ${dir} and run again.`,
    );
  }
  return { name, version, path: executable, source };
}

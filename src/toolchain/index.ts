import {
  chmodSync,
  linkSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureTool, type ProgressSink, QUIET_CLI_ENV, type ResolvedTool } from "./ensure.ts";

export {
  cacheRoot,
  ensureTool,
  type ProgressSink,
  QUIET_CLI_ENV,
  type ResolvedTool,
} from "./ensure.ts";

/** Project root (the folder with package.json and Pulumi.yaml). */
export const projectRoot = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Folder for the local stack's machine-local files (git-ignored): state, passphrase, embedded
 * PostgreSQL data. `ATLAS_ROLLOUT_HOME` moves it (tests use a temporary one).
 */
export const localHome = process.env.ATLAS_ROLLOUT_HOME ?? join(projectRoot, ".atlas-rollout");

/** Everything a Pulumi or Atlas run needs, resolved once per process. */
export interface Toolchain {
  readonly atlas: ResolvedTool;
  readonly pulumi: ResolvedTool;
  /** Folder put first on PATH: pulumi, node (24), the dynamic-provider and policy-analyzer plugins. */
  readonly binDir: string;
  /** Environment additions for child processes (PATH and quiet flags). */
  readonly env: Readonly<Record<string, string>>;
}

function writeExecutable(path: string, text: string) {
  writeFileSync(path, text);
  chmodSync(path, 0o755);
}

/**
 * Writes the plugin shims the engine looks up on PATH. The shims that ship with
 * `@pulumi/pulumi` resolve the SDK from the current directory, which breaks for stacks whose
 * work directory is elsewhere; these point at this project's SDK by absolute path.
 */
export function writeBinDir(binDir: string, pulumi: ResolvedTool): void {
  const require = createRequire(join(projectRoot, "package.json"));
  const dynamicProvider = require.resolve("@pulumi/pulumi/cmd/dynamic-provider");
  const policyRunner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack");
  rmSync(binDir, { recursive: true, force: true });
  mkdirSync(binDir, { recursive: true });
  // A hard link makes the shims below "bundled" plugins (found next to the CLI), which the
  // engine uses without the "using … from $PATH" warning; a symlink is the fallback across devices.
  try {
    linkSync(pulumi.path, join(binDir, "pulumi"));
  } catch {
    symlinkSync(pulumi.path, join(binDir, "pulumi"));
  }
  symlinkSync(process.execPath, join(binDir, "node"));
  writeExecutable(
    join(binDir, "pulumi-resource-pulumi-nodejs"),
    `#!/bin/sh\nexec "${process.execPath}" "${dynamicProvider}" "$@"\n`,
  );
  // CLI >= 3.221 looks for pulumi-analyzer-policy-nodejs; it runs in the pack's folder.
  writeExecutable(
    join(binDir, "pulumi-analyzer-policy-nodejs"),
    `#!/bin/sh\nexec "${process.execPath}" "${policyRunner}" "$@"\n`,
  );
}

let cached: Promise<Toolchain> | undefined;

/** Resolves (building on first use) the pinned Atlas and Pulumi CLIs and the plugin shims. */
export function ensureToolchain(progress: ProgressSink = () => {}): Promise<Toolchain> {
  cached ??= (async () => {
    const atlas = await ensureTool("atlas", progress);
    const pulumi = await ensureTool("pulumi", progress);
    const binDir = join(projectRoot, ".atlas-rollout", "bin");
    const marker = join(binDir, ".for");
    const wanted = `${pulumi.path}\n${process.execPath}\n`;
    let current = "";
    try {
      current = readFileSync(marker, "utf8");
    } catch {}
    if (current !== wanted) {
      writeBinDir(binDir, pulumi);
      writeFileSync(marker, wanted);
    }
    const env = {
      ...QUIET_CLI_ENV,
      PATH: [binDir, process.env.PATH ?? ""].join(delimiter),
    };
    return { atlas, pulumi, binDir, env };
  })();
  return cached;
}

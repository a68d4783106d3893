import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { type PostgresTarget, redact } from "../db/url.ts";
import { type AtlasRunFacts, AtlasTimeoutError } from "./errors.ts";

/** How to run Atlas: which binary, where, for how long. */
export interface AtlasContext {
  /** Path of the pinned Atlas CLI (from `ensureToolchain()`). */
  readonly atlasPath: string;
  /** Working directory; relative `file://` directories resolve against it. */
  readonly cwd: string;
  /** Milliseconds before the process is stopped (default 10 minutes). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** One Atlas invocation's inputs besides argv. */
export interface AtlasInvocation {
  /** Databases whose passwords Atlas needs; they reach it through a private PGPASSFILE. */
  readonly credentials: readonly PostgresTarget[];
  /** Contents of a project file (atlas.hcl) to pass with `--config … --env rollout`. */
  readonly config?: string;
}

/** What a finished Atlas process left behind (secrets already scrubbed). */
export type AtlasRun = AtlasRunFacts & { readonly exitCode: number };

/** Name of the env block in generated project files. */
export const CONFIG_ENV = "rollout";

const ESCAPE = (value: string) => value.replace(/[\\:]/g, (ch) => `\\${ch}`);

/** Builds a libpq password file; `*` as database for servers whose scratch databases vary. */
export function passfileFor(credentials: readonly PostgresTarget[], anyDatabase = false): string {
  return credentials
    .filter((target) => target.password !== undefined)
    .map((target) =>
      [
        ESCAPE(target.host),
        String(target.port),
        anyDatabase ? "*" : ESCAPE(target.database),
        ESCAPE(target.user),
        ESCAPE(target.password ?? ""),
      ].join(":"),
    )
    .join("\n");
}

/**
 * Spawns Atlas. The only place that does: update notifiers off, passwords through a 0600
 * PGPASSFILE in a private temporary folder (never on argv), timeout and abort honoured, output
 * scrubbed of passwords. Resolves for any exit code; rejects only when the process could not run
 * or was stopped.
 */
export async function runAtlas(
  context: AtlasContext,
  argv: readonly string[],
  invocation: AtlasInvocation,
): Promise<AtlasRun> {
  const secrets = invocation.credentials.map((target) => target.password);
  const privateDir = mkdtempSync(join(tmpdir(), "atlas-rollout-"));
  chmodSync(privateDir, 0o700);
  try {
    const passfile = join(privateDir, "pgpass");
    // Exact databases first, then the same servers for any database (scratch dev databases).
    const lines = [passfileFor(invocation.credentials), passfileFor(invocation.credentials, true)];
    writeFileSync(passfile, `${lines.filter(Boolean).join("\n")}\n`, { mode: 0o600 });
    const args = [...argv];
    if (invocation.config !== undefined) {
      const configPath = join(privateDir, "atlas.hcl");
      writeFileSync(configPath, invocation.config, { mode: 0o600 });
      args.push("--config", `file://${configPath}`, "--env", CONFIG_ENV);
    }
    const result = await execa(context.atlasPath, args, {
      cwd: context.cwd,
      reject: false,
      stdin: "ignore",
      timeout: context.timeoutMs ?? 600_000,
      ...(context.signal ? { cancelSignal: context.signal } : {}),
      extendEnv: true,
      env: {
        ATLAS_NO_UPDATE_NOTIFIER: "1",
        ATLAS_NO_UPGRADE_SUGGESTIONS: "1",
        ATLAS_NO_ANON_TELEMETRY: "true",
        PGPASSFILE: passfile,
        PGPASSWORD: undefined,
      },
    });
    const facts: AtlasRun = {
      argv,
      exitCode: result.exitCode ?? -1,
      stdout: redact(`${result.stdout ?? ""}`, secrets),
      stderr: redact(`${result.stderr ?? ""}`, secrets),
    };
    if (result.timedOut || result.isCanceled || (result.exitCode === undefined && result.signal)) {
      const why = result.timedOut
        ? `timed out after ${Math.round((context.timeoutMs ?? 600_000) / 1000)}s`
        : result.isCanceled
          ? "was cancelled"
          : `was killed (${result.signal})`;
      throw new AtlasTimeoutError(`atlas ${argv.slice(0, 2).join(" ")} ${why}`, facts);
    }
    return facts;
  } finally {
    rmSync(privateDir, { recursive: true, force: true });
  }
}

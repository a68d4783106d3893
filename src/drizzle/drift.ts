import { resolve } from "node:path";
import { schemaDiff } from "../atlas/index.ts";
import { checkExtensionNames, extensionStatements } from "../db/dev-database.ts";
import { query } from "../db/scratch.ts";
import type { DriftReport } from "../migration/plan.ts";
import { ensureToolchain } from "../toolchain/index.ts";
import { withDesiredStateFile } from "./desired-state.ts";

/** Inputs of {@link checkSchemaDrift}. */
export interface SchemaDriftParams {
  /** The drizzle config file (`drizzle.config.ts`). */
  readonly drizzleConfig: string;
  /** Atlas migration directory. */
  readonly dir: string;
  /**
   * A clean scratch dev database that this check may use (and leaves clean); the listed
   * extensions are created in it first.
   */
  readonly devUrl: string;
  readonly extensions?: readonly string[];
  /** SQL files appended to the Drizzle export (see `buildDesiredState`). */
  readonly extraSql?: readonly string[];
  /** Postgres schemas the rollout owns; empty or absent: the whole database. */
  readonly schemas?: readonly string[];
  /** Folder relative paths resolve against (default: the current directory). */
  readonly cwd?: string;
  /** Path of the Atlas CLI (default: the pinned one from `ensureToolchain()`). */
  readonly atlasPath?: string;
  readonly signal?: AbortSignal;
}

/** Result of the check; plain JSON (no `undefined` values), as `plan.schemaDrift` needs. */
export type SchemaDrift = DriftReport & { readonly status: "none" | "drifted" | "failed" };

/**
 * Compares the Drizzle schema with the migration history: `drifted` means schema.ts changed but
 * no migration was planned for it, and `diff` is the SQL the missing migration would contain
 * (`atlas schema diff` from the replayed directory to the desired state). Never throws: a schema
 * that cannot be exported or a directory that cannot be replayed gives `failed` with a reason.
 */
export async function checkSchemaDrift(params: SchemaDriftParams): Promise<SchemaDrift> {
  const cwd = params.cwd ?? process.cwd();
  try {
    const extensions = params.extensions ?? [];
    checkExtensionNames(extensions);
    const atlasPath = params.atlasPath ?? (await ensureToolchain()).atlas.path;
    if (extensions.length > 0) await query(params.devUrl, extensionStatements(extensions));
    const diff = await withDesiredStateFile(
      {
        drizzleConfig: params.drizzleConfig,
        extensions,
        extraSql: params.extraSql ?? [],
        cwd,
        ...(params.signal ? { signal: params.signal } : {}),
      },
      (desiredPath) =>
        schemaDiff(
          { atlasPath, cwd, ...(params.signal ? { signal: params.signal } : {}) },
          {
            from: `file://${resolve(cwd, params.dir)}`,
            to: `file://${desiredPath}`,
            devUrl: params.devUrl,
            ...(params.schemas?.length ? { schemas: params.schemas } : {}),
          },
        ),
    );
    if (diff === "") return { status: "none" };
    return {
      status: "drifted",
      diff,
      reason: `${params.drizzleConfig} describes changes that no migration in ${params.dir} contains. Run \`npm run db:migrate:plan -- <name>\` and commit the new file.`,
    };
  } catch (error) {
    return { status: "failed", reason: (error as Error).message };
  }
}

/**
 * The Migration resource's lifecycle, run inside Pulumi's dynamic-provider process.
 * `provider.ts` (serialized into the state) only imports this module and forwards each call.
 */
import { isDeepStrictEqual } from "node:util";
import {
  type AppliedFile,
  type AtlasContext,
  type MigrationStatus,
  migrateApply,
  migrateStatus,
} from "../atlas/index.ts";
import { parsePostgresUrl, redact } from "../db/url.ts";
import { ensureTool } from "../toolchain/ensure.ts";
import { type MigrationInputs, parseInputs, SETTING_KEYS } from "./inputs.ts";
import type { MigrationPlan } from "./plan.ts";
import { computePlan } from "./preview.ts";

type Props = Record<string, unknown>;

/** Outputs of the Migration resource (besides the inputs it echoes). */
export interface RolloutOutputs {
  /** `host:port/database` of the target (no credentials). */
  readonly target: string;
  readonly currentVersion: string | null;
  /** `OK`: nothing pending; `PENDING`: files left; `FAILED`: the last rollout failed. */
  readonly status: "OK" | "PENDING" | "FAILED";
  /** Files applied by the last rollout. */
  readonly appliedFiles: readonly AppliedFile[];
  /** Rows in the revisions table. */
  readonly revisions: number;
  /** Password-free message of the last failure, or null. */
  readonly lastError: string | null;
}

async function contextFor(inputs: MigrationInputs): Promise<AtlasContext> {
  const atlas = await ensureTool("atlas");
  return { atlasPath: atlas.path, cwd: process.cwd(), timeoutMs: inputs.timeoutSeconds * 1000 };
}

function secretsOf(inputs: { databaseUrl: string; devDatabaseUrl: string }) {
  return [inputs.databaseUrl, inputs.devDatabaseUrl].map((url) => {
    try {
      return decodeURIComponent(new URL(url).password) || undefined;
    } catch {
      return undefined;
    }
  });
}

function targetOf(url: string): string {
  const target = parsePostgresUrl(url, "databaseUrl");
  return `${target.host}:${target.port}/${target.database}`;
}

/** Validates inputs and computes the plan (read-only on the target); failures fail the preview. */
export async function check(_olds: Props, news: Props) {
  let inputs: MigrationInputs;
  try {
    inputs = parseInputs(news);
    targetOf(inputs.databaseUrl);
  } catch (error) {
    return { inputs: news, failures: [{ property: "", reason: (error as Error).message }] };
  }
  const { plan, failures } = await computePlan(await contextFor(inputs), inputs);
  return {
    inputs: { ...news, ...inputs, ...(plan ? { plan } : {}) },
    failures: failures.map((failure) => ({ ...failure })),
  };
}

/** Changes only when there is work (pending files, a partial file, a baseline) or settings moved. */
export async function diff(_id: string, olds: Props, news: Props) {
  const plan = news.plan as MigrationPlan | undefined;
  const work =
    !plan ||
    plan.pending.length > 0 ||
    plan.partial !== null ||
    plan.baseline?.willBaseline === true;
  const moved =
    olds.databaseUrl !== news.databaseUrl ||
    SETTING_KEYS.some((key) => !isDeepStrictEqual(olds[key] ?? null, news[key] ?? null));
  return { changes: work || moved, replaces: [], deleteBeforeReplace: false };
}

function outputsFor(
  inputs: MigrationInputs,
  status: MigrationStatus | undefined,
  applied: readonly AppliedFile[],
  lastError: string | null,
): Props {
  const echoed: Props = {};
  for (const key of SETTING_KEYS) if (inputs[key] !== undefined) echoed[key] = inputs[key];
  const outputs: RolloutOutputs = {
    target: targetOf(inputs.databaseUrl),
    currentVersion: status?.current ?? null,
    status: lastError ? "FAILED" : (status?.status ?? "PENDING"),
    appliedFiles: applied,
    revisions: status?.applied.length ?? 0,
    lastError,
  };
  return {
    ...echoed,
    // Same key names as the secret inputs, so the engine keeps them secret in the state.
    databaseUrl: inputs.databaseUrl,
    devDatabaseUrl: inputs.devDatabaseUrl,
    ...outputs,
  };
}

async function rollout(id: string, props: Props): Promise<Props> {
  const inputs = parseInputs(props);
  const context = await contextFor(inputs);
  const statusParams = {
    url: inputs.databaseUrl,
    dir: inputs.migrationsDir,
    revisionsSchema: inputs.revisionsSchema,
  };
  try {
    const result = await migrateApply(context, {
      ...statusParams,
      ...(inputs.baseline ? { baseline: inputs.baseline } : { allowDirty: inputs.allowDirty }),
      txMode: inputs.txMode,
      lockTimeoutSeconds: inputs.lockTimeoutSeconds,
    });
    const status = await migrateStatus(context, statusParams);
    return outputsFor(inputs, status, result.applied, null);
  } catch (error) {
    const message = redact((error as Error).message, secretsOf(inputs));
    // Record the truth: whatever the database now says, so the state and the next preview agree.
    let status: MigrationStatus | undefined;
    try {
      status = await migrateStatus(context, statusParams);
    } catch {}
    // Atlas reports per-file durations only on success; what was applied is in `status`.
    const applied: AppliedFile[] = [];
    const where = status
      ? `\n  The database is at version ${status.current ?? "none (nothing applied)"}.`
      : "";
    const failure = new Error(`${message}${where}`) as Error & {
      id?: string;
      properties?: Props;
      reasons?: string[];
    };
    if (status) {
      failure.id = id;
      failure.properties = {
        ...outputsFor(inputs, status, applied, message),
        __provider: props.__provider,
      };
      failure.reasons = [failure.message];
    }
    throw failure;
  }
}

/** Applies pending migrations (baselining first when configured and needed). */
export async function create(inputs: Props) {
  const id = targetOf(String(inputs.databaseUrl));
  return { id, outs: await rollout(id, inputs) };
}

/** Same as create: the rollout is idempotent; Atlas applies only what is pending. */
export async function update(id: string, _olds: Props, news: Props) {
  return { outs: await rollout(id, news) };
}

/** Refresh: reports the database's real revision state. */
export async function read(id: string, props: Props) {
  const inputs = parseInputs(props);
  const status = await migrateStatus(await contextFor(inputs), {
    url: inputs.databaseUrl,
    dir: inputs.migrationsDir,
    revisionsSchema: inputs.revisionsSchema,
  });
  return {
    id,
    props: {
      ...props,
      currentVersion: status.current,
      status: status.status,
      revisions: status.applied.length,
    },
  };
}

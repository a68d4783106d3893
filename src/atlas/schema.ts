import { type AtlasContext, runAtlas } from "./client.ts";
import { credentialsOf, endpoint } from "./endpoint.ts";
import { classifyFailure } from "./errors.ts";

export interface SchemaDiffParams {
  /** Current state: a database URL or `file://…` (a migration dir accepts `?version=V`). */
  readonly from: string;
  /** Desired state, same forms. */
  readonly to: string;
  readonly devUrl: string;
  readonly schemas?: readonly string[];
  readonly exclude?: readonly string[];
}

const SYNCED = /Schemas are synced, no changes to be made/;

/** argv of `schema diff` (pure); endpoints are already password-free. */
export function schemaDiffArgs(from: string, to: string, dev: string, params: SchemaDiffParams) {
  return [
    "schema",
    "diff",
    "--from",
    from,
    "--to",
    to,
    "--dev-url",
    dev,
    ...(params.schemas ?? []).flatMap((schema) => ["--schema", schema]),
    ...(params.exclude ?? []).flatMap((pattern) => ["--exclude", pattern]),
  ];
}

/** SQL that turns `from` into `to` ("" when they are equal). Read-only on both sides. */
export async function schemaDiff(context: AtlasContext, params: SchemaDiffParams): Promise<string> {
  const from = endpoint(params.from, "schema diff source");
  const to = endpoint(params.to, "schema diff target");
  const dev = endpoint(params.devUrl, "dev database url");
  const facts = await runAtlas(context, schemaDiffArgs(from.arg, to.arg, dev.arg, params), {
    credentials: credentialsOf(from, to, dev),
  });
  if (facts.exitCode !== 0) throw classifyFailure(facts, "schema diff");
  const sql = facts.stdout.trim();
  return SYNCED.test(sql) ? "" : sql;
}

/** Inspects a database (or desired-state file) and returns its SQL form. */
export async function schemaInspectSql(
  context: AtlasContext,
  params: { readonly url: string; readonly devUrl?: string; readonly schemas?: readonly string[] },
): Promise<string> {
  const url = endpoint(params.url, "database url");
  const dev = params.devUrl ? endpoint(params.devUrl, "dev database url") : undefined;
  const argv = [
    "schema",
    "inspect",
    "--url",
    url.arg,
    ...(dev ? ["--dev-url", dev.arg] : []),
    ...(params.schemas ?? []).flatMap((schema) => ["--schema", schema]),
    "--format",
    "{{ sql . }}",
  ];
  const facts = await runAtlas(context, argv, {
    credentials: credentialsOf(url, ...(dev ? [dev] : [])),
  });
  if (facts.exitCode !== 0) throw classifyFailure(facts, "schema inspect");
  return facts.stdout;
}

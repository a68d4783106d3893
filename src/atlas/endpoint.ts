import { resolve } from "node:path";
import { type PostgresTarget, parsePostgresUrl } from "../db/url.ts";

/** A value for a URL flag: what goes on argv, and the credential (if any) that it needs. */
export interface Endpoint {
  readonly arg: string;
  readonly credential?: PostgresTarget;
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/**
 * Turns a database URL into a password-free argv value plus its credential. Local servers
 * without an explicit `sslmode` get `sslmode=disable` (Atlas's driver defaults to requiring TLS).
 * `file://` and other non-database URLs pass through unchanged.
 */
export function endpoint(value: string, field: string): Endpoint {
  if (!/^postgres(ql)?:\/\//.test(value)) return { arg: value };
  const target = parsePostgresUrl(value, field);
  const url = new URL(target.url);
  if (LOCAL_HOSTS.has(url.hostname) && !url.searchParams.has("sslmode")) {
    url.searchParams.set("sslmode", "disable");
  }
  return { arg: url.toString(), credential: target };
}

/** `file://<absolute dir>` for a migration directory given relative to `cwd` or absolute. */
export function dirUrl(dir: string, cwd: string): string {
  return `file://${resolve(cwd, dir)}`;
}

/** Collects the credentials of the given endpoints. */
export function credentialsOf(...endpoints: readonly Endpoint[]): PostgresTarget[] {
  return endpoints.flatMap((item) => (item.credential ? [item.credential] : []));
}

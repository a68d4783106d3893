import { z } from "zod";

/** A PostgreSQL connection URL split so that the password never travels with the rest. */
export interface PostgresTarget {
  /** The URL without its password: safe for argv, logs and state. */
  readonly url: string;
  /** The password, if the URL had one; hand it to children only through their environment. */
  readonly password: string | undefined;
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
}

const postgresUrl = z
  .string()
  .trim()
  .refine(
    (value) => /^postgres(ql)?:\/\//.test(value),
    "must be a postgres:// or postgresql:// URL",
  );

/**
 * Parses a PostgreSQL URL and separates its password. `field` names the input in errors
 * (for example `database.url`). The error never repeats the URL, which may hold a password.
 */
export function parsePostgresUrl(value: string, field = "database url"): PostgresTarget {
  const checked = postgresUrl.safeParse(value);
  if (!checked.success) {
    throw new Error(`${field}: ${checked.error.issues[0]?.message ?? "invalid URL"}`);
  }
  let parsed: URL;
  try {
    parsed = new URL(checked.data);
  } catch {
    throw new Error(
      `${field}: not a valid URL (expected postgres://user:password@host:5432/database)`,
    );
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  if (!parsed.hostname) throw new Error(`${field}: the URL has no host`);
  if (!database) throw new Error(`${field}: the URL names no database (…:5432/<database>)`);
  for (const key of parsed.searchParams.keys()) {
    if (/pass|secret|token/i.test(key)) {
      throw new Error(
        `${field}: query parameter "${key}" looks like a credential; put the password in the URL's user part instead`,
      );
    }
  }
  const password = parsed.password ? decodeURIComponent(parsed.password) : undefined;
  parsed.password = "";
  return {
    url: parsed.toString(),
    password,
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 5432,
    database,
    user: decodeURIComponent(parsed.username) || "postgres",
  };
}

/** Returns the URL with a different database name (same server, user and password). */
export function withDatabase(value: string, database: string): string {
  const parsed = new URL(value);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** Replaces every occurrence of each secret (and its URL-encoded form) with `***`. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 2) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      result = result.split(form).join("***");
    }
  }
  // Any URL that still carries user:password@ is masked as well.
  return result.replace(/(postgres(?:ql)?:\/\/[^:/@\s]+:)[^@\s]+@/g, "$1***@");
}

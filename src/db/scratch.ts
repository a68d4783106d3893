import { randomBytes } from "node:crypto";
import pg from "pg";
import { parsePostgresUrl, withDatabase } from "./url.ts";

/** A throw-away database on a server, dropped by `drop()`. */
export interface ScratchDatabase {
  readonly name: string;
  /** Full URL including the server's password, if any: keep it out of argv and logs. */
  readonly url: string;
  drop(): Promise<void>;
}

async function withClient<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>) {
  const client = new pg.Client({
    connectionString: withDatabase(serverUrl, "postgres"),
    connectionTimeoutMillis: 10_000,
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates an empty database named `<prefix>_<random>` on the server of `serverUrl` (which needs
 * CREATEDB). Used for Atlas dev databases and for tests; each caller gets its own.
 */
export async function createScratchDatabase(
  serverUrl: string,
  prefix = "atlas_dev",
): Promise<ScratchDatabase> {
  parsePostgresUrl(serverUrl, "dev database url");
  const name = `${prefix}_${randomBytes(6).toString("hex")}`.toLowerCase();
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  return {
    name,
    url: withDatabase(serverUrl, name),
    drop: () =>
      withClient(serverUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      ).then(() => undefined),
  };
}

/** Runs SQL against a database URL and returns the rows (tests and checks; not for migrations). */
export async function query<T extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

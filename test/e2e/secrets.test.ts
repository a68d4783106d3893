import { chmodSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabaseIfMissing } from "../../src/db/create.ts";
import { type EmbeddedServer, startEmbeddedPostgres } from "../../src/db/embedded.ts";
import { withDatabase } from "../../src/db/url.ts";
import { migrationDir, recordingAtlas, testStack } from "../helpers/stack.ts";

let server: EmbeddedServer;
let password: string;

beforeAll(async () => {
  // A password-protected server (the machine's PostgreSQL trusts every local connection).
  const parent = mkdtempSync(join(tmpdir(), "embedded-"));
  chmodSync(parent, 0o755);
  process.env.EMBEDDED_PG_PORT = "55432";
  server = await startEmbeddedPostgres(join(parent, "data"));
  password = decodeURIComponent(new URL(server.url).password);
  await createDatabaseIfMissing(withDatabase(server.url, "app"));
});
afterAll(() => server?.stop());

describe("secrets", () => {
  it("keeps the database password out of state, engine output and Atlas's argv", async () => {
    expect(password.length).toBeGreaterThan(10);
    const recorder = await recordingAtlas();
    const dir = await migrationDir({
      "20240101000000_a.sql": "CREATE TABLE a (id int);\n",
      "20240102000000_b.sql": "ALTER TABLE a ADD COLUMN name text;\n",
    });
    const stack = await testStack({
      databaseUrl: withDatabase(server.url, "app"),
      devDatabaseUrl: server.url,
      migrations: { dir },
      envVars: { ATLAS_ROLLOUT_ATLAS: recorder.path },
    });
    const preview = await stack.preview();
    expect(preview.plan?.pending).toHaveLength(2);
    const up = await stack.up();
    expect(up.outputs.currentVersion).toBe("20240102000000");
    const refresh = await stack.stack.refresh();

    const argv = readFileSync(recorder.log, "utf8");
    expect(argv).toContain("migrate apply --url postgres://postgres@127.0.0.1:");
    // check runs in the preview and twice more in up; lint runs once for this content.
    expect(argv.split("\n").filter((line) => line.startsWith("migrate lint"))).toHaveLength(1);
    expect(argv.split("\n").filter((line) => line.startsWith("migrate apply"))).toHaveLength(1);
    const places = {
      state: stack.stateText(),
      preview: preview.output,
      up: up.output,
      refresh: refresh.stdout + refresh.stderr,
      atlasArgv: argv,
      outputs: JSON.stringify(up.outputs),
    };
    for (const [place, text] of Object.entries(places)) {
      expect({ place, leaked: text.includes(password) }).toEqual({ place, leaked: false });
    }
    // The URL is in the state, encrypted.
    // The URL is in the state, but only as ciphertext (Pulumi's secret signature key).
    expect(places.state).toContain('"databaseUrl":{"4dabf18193072939515e22adb298388d"');
    expect(places.state).not.toContain("postgres://postgres:");
  });

  it("refuses a wrong password with a message that does not repeat it", async () => {
    const dir = await migrationDir({ "20240101000000_a.sql": "CREATE TABLE a (id int);\n" });
    const wrong = new URL(withDatabase(server.url, "app"));
    wrong.password = "Wrong-Password-123";
    const stack = await testStack({
      databaseUrl: wrong.toString(),
      devDatabaseUrl: server.url,
      migrations: { dir },
    });
    const error = await stack.preview().catch((caught: Error) => caught);
    const message = String((error as Error).message);
    expect(message).toContain(
      "The database refused the credentials. Check the password in the database URL secret.",
    );
    expect(message).not.toContain("Wrong-Password-123");
    expect(message).not.toContain(password);
  });
});

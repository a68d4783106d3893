import { afterAll, onTestFinished } from "vitest";
import { createScratchDatabase, type ScratchDatabase } from "../../src/db/scratch.ts";

/** Server the tests create their databases on (the machine's PostgreSQL by default). */
export const TEST_SERVER_URL =
  process.env.TEST_DATABASE_SERVER_URL ??
  "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable";

/**
 * Creates a fresh database and drops it afterwards: when the calling test finishes (inside
 * `it(…)`), or after the file's tests (inside a hook such as `beforeAll`).
 */
export async function freshDatabase(prefix = "test"): Promise<ScratchDatabase> {
  const database = await createScratchDatabase(TEST_SERVER_URL, prefix);
  try {
    onTestFinished(() => database.drop());
  } catch {
    afterAll(() => database.drop());
  }
  return database;
}

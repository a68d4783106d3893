import { onTestFinished } from "vitest";
import { createScratchDatabase, type ScratchDatabase } from "../../src/db/scratch.ts";
import { TEST_SERVER_URL } from "./database.ts";

/**
 * Creates a database for the running test and drops it when the test finishes. Use this inside
 * `it(…)`: `freshDatabase()` registers `afterAll`, which does not run when called from a test
 * body, so its database would be left behind.
 */
export async function databaseForTest(prefix = "test"): Promise<ScratchDatabase> {
  const database = await createScratchDatabase(TEST_SERVER_URL, prefix);
  onTestFinished(() => database.drop());
  return database;
}

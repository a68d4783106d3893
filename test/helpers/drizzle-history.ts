/** Test helpers for drizzle-kit histories: fixture copies and the real drizzle migrator. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { onTestFinished } from "vitest";
import { createScratchDatabase, type ScratchDatabase } from "../../src/db/scratch.ts";
import { ensureToolchain, projectRoot } from "../../src/toolchain/index.ts";
import { TEST_SERVER_URL } from "./database.ts";

/** The committed fixture histories (see test/fixtures/drizzle/README.md). */
export const FIXTURES = {
  v0: join(projectRoot, "test", "fixtures", "drizzle", "v0"),
  v1: join(projectRoot, "test", "fixtures", "drizzle", "v1"),
};

interface JournalEntry {
  idx: number;
  version: string;
  when: number;
  tag: string;
  breakpoints: boolean;
}

/** A temporary folder removed when the test finishes (call inside the test). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Copies the 0.x fixture, keeping only its first `count` journal entries. */
export function copyJournalHistory(count: number, into = tempDir("drizzle")): string {
  cpSync(FIXTURES.v0, into, { recursive: true });
  editJournal(into, (entries) => entries.slice(0, count));
  return into;
}

/** Rewrites a copied history's journal. */
export function editJournal(dir: string, edit: (entries: JournalEntry[]) => JournalEntry[]): void {
  const path = join(dir, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(path, "utf8")) as { entries: JournalEntry[] };
  journal.entries = edit(journal.entries);
  writeFileSync(path, `${JSON.stringify(journal, null, 2)}\n`);
}

/** Journal entries of a copied history. */
export function journalEntries(dir: string): JournalEntry[] {
  const path = join(dir, "meta", "_journal.json");
  return (JSON.parse(readFileSync(path, "utf8")) as { entries: JournalEntry[] }).entries;
}

/** Runs drizzle-orm's node-postgres migrator (0.45) exactly as an application would. */
export async function drizzleMigrate(url: string, migrationsFolder: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: url });
  try {
    await migrate(drizzle(pool), { migrationsFolder });
  } finally {
    await pool.end();
  }
}

/** Atlas context for tests. */
export async function atlasContext() {
  const toolchain = await ensureToolchain();
  return { atlasPath: toolchain.atlas.path, cwd: projectRoot };
}

/** A fresh database for one test, dropped when the test finishes (call inside the test). */
export async function testDatabase(prefix: string): Promise<ScratchDatabase> {
  const database = await createScratchDatabase(TEST_SERVER_URL, prefix);
  onTestFinished(() => database.drop());
  return database;
}

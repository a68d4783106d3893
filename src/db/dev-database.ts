import { createScratchDatabase, query, type ScratchDatabase } from "./scratch.ts";

const EXTENSION_NAME = /^[A-Za-z0-9_-]+$/;

/** Checks extension names (they are quoted into SQL); throws naming the bad one. */
export function checkExtensionNames(extensions: readonly string[]): void {
  for (const name of extensions) {
    if (!EXTENSION_NAME.test(name)) {
      throw new Error(
        `database.devExtensions: "${name}" is not an extension name (letters, digits, "_" and "-" only)`,
      );
    }
  }
}

/** `CREATE EXTENSION IF NOT EXISTS` for each extension, one line each (pure). */
export function extensionStatements(extensions: readonly string[]): string {
  checkExtensionNames(extensions);
  return extensions.map((name) => `CREATE EXTENSION IF NOT EXISTS "${name}";\n`).join("");
}

/**
 * Creates a scratch dev database for Atlas with the given extensions installed, so that planning
 * and linting can use their types and operator classes. Drop it with `drop()`.
 */
export async function createDevDatabase(
  serverUrl: string,
  extensions: readonly string[],
  prefix = "atlas_dev",
): Promise<ScratchDatabase> {
  checkExtensionNames(extensions);
  const database = await createScratchDatabase(serverUrl, prefix);
  try {
    if (extensions.length > 0) await query(database.url, extensionStatements(extensions));
    return database;
  } catch (error) {
    await database.drop();
    throw new Error(
      `Could not create the extensions ${extensions.join(", ")} in a scratch dev database: ${(error as Error).message}. Install them on the dev server or remove them from database.devExtensions.`,
      { cause: error },
    );
  }
}

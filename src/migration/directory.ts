import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { verifyAtlasSum } from "../atlas/sum.ts";
import type { IntegrityReport } from "./plan.ts";
import { type Statement, splitStatements } from "./statements.ts";

/** One `.sql` file of an Atlas migration directory. */
export interface MigrationFile {
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly text: string;
  readonly bytes: Buffer;
  readonly sha256: string;
  /** `none` when the file starts with `-- atlas:txmode none` (its statements autocommit). */
  readonly txModeOverride: "none" | "file" | "all" | undefined;
  readonly statements: readonly Statement[];
}

export interface MigrationDirectory {
  readonly path: string;
  readonly files: readonly MigrationFile[];
  readonly integrity: IntegrityReport;
}

/** Reads a migration directory the way Atlas sees it (`*.sql`, not recursive, byte-wise order). */
export function readMigrationDirectory(path: string): MigrationDirectory {
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    throw new Error(
      `migrations.dir: ${path} is not a directory. Point it at the Atlas migration directory (with atlas.sum), relative to the project root.`,
    );
  }
  const names = readdirSync(path)
    .filter((name) => name.endsWith(".sql") && statSync(join(path, name)).isFile())
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const files = names.map((name): MigrationFile => {
    const bytes = readFileSync(join(path, name));
    const text = bytes.toString("utf8");
    const match = /^(\d+)(?:_(.*))?\.sql$/.exec(name);
    if (!match?.[1]) {
      throw new Error(
        `${join(path, name)}: migration file names must start with a version number (e.g. 20240101120000_create_users.sql).`,
      );
    }
    const header = /^\s*--\s*atlas:txmode\s+(none|file|all)\b/i.exec(text)?.[1]?.toLowerCase();
    return {
      name,
      version: match[1],
      description: match[2] ?? "",
      text,
      bytes,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      txModeOverride: header as MigrationFile["txModeOverride"],
      statements: splitStatements(text),
    };
  });
  const sumPath = join(path, "atlas.sum");
  let integrity: IntegrityReport;
  if (!existsSync(sumPath)) {
    integrity = {
      status: "missing",
      message: `${sumPath} is missing. Create it with \`npm run db:migrate:hash\` and commit it.`,
    };
  } else {
    const problem = verifyAtlasSum(readFileSync(sumPath, "utf8"), files);
    integrity = problem
      ? {
          status: "mismatch",
          message: `atlas.sum does not match the directory: ${problem}. Never edit an applied migration; after adding or fixing a pending one run \`npm run db:migrate:hash\`.`,
        }
      : { status: "valid" };
  }
  return { path, files, integrity };
}

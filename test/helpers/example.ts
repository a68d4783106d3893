import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { onTestFinished } from "vitest";
import { projectRoot } from "../../src/toolchain/index.ts";

/** A private copy of `examples/shop` that a test may change. */
export interface ExampleCopy {
  /** Folder holding `drizzle.config.ts`, `schema/` and `migrations/`. */
  readonly root: string;
  readonly drizzleConfig: string;
  readonly dir: string;
  /** Path of a file in the copy. */
  path(file: string): string;
  /** Replaces `from` with `to` in a file of the copy; fails when `from` is not there. */
  edit(file: string, from: string, to: string): void;
  /** Appends text to a file of the copy (creating it and its folder). */
  append(file: string, text: string): void;
}

/**
 * Copies the example app into a temporary folder, removed when the running test finishes (call
 * it inside `it(…)`). The copy's `node_modules` links to the project's, so its schema modules
 * resolve drizzle-orm.
 */
export function copyExample(): ExampleCopy {
  const root = mkdtempSync(join(tmpdir(), "shop-"));
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  cpSync(join(projectRoot, "examples/shop"), root, { recursive: true });
  symlinkSync(join(projectRoot, "node_modules"), join(root, "node_modules"));
  const path = (file: string) => join(root, file);
  return {
    root,
    drizzleConfig: path("drizzle.config.ts"),
    dir: path("migrations"),
    path,
    edit(file, from, to) {
      const text = readFileSync(path(file), "utf8");
      if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
      writeFileSync(path(file), text.replace(from, to));
    },
    append(file, text) {
      mkdirSync(dirname(path(file)), { recursive: true });
      writeFileSync(path(file), text, { flag: "a" });
    },
  };
}

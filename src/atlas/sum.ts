import { createHash } from "node:crypto";

/** A file entry of an Atlas migration directory (name and raw bytes). */
export interface SumInput {
  readonly name: string;
  readonly bytes: Buffer;
}

/**
 * Computes atlas.sum the way Atlas does: one running SHA-256 over name then bytes of each
 * `.sql` file (byte-wise name order); each line holds the digest so far; the first line hashes
 * the names and line hashes. @see https://atlasgo.io/concepts/migration-directory-integrity
 */
export function computeAtlasSum(files: readonly SumInput[]): string {
  const lines = [...sumEntries(files)];
  const total = createHash("sha256");
  for (const [name, hash] of lines) {
    total.update(name);
    total.update(hash);
  }
  return `h1:${total.digest("base64")}\n${lines.map(([name, hash]) => `${name} h1:${hash}\n`).join("")}`;
}

/**
 * Each file's atlas.sum entry (base64, without `h1:`), in Atlas's order. An entry hashes the file
 * and every file before it, so it identifies the file together with its whole history.
 */
export function sumEntries(files: readonly SumInput[]): Map<string, string> {
  const sorted = [...files].sort((a, b) =>
    Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)),
  );
  const running = createHash("sha256");
  const entries = new Map<string, string>();
  for (const file of sorted) {
    running.update(file.name);
    running.update(file.bytes);
    entries.set(file.name, running.copy().digest("base64"));
  }
  return entries;
}

/** Compares an atlas.sum text with the files; returns the first difference, or undefined. */
export function verifyAtlasSum(sumText: string, files: readonly SumInput[]): string | undefined {
  const expected = computeAtlasSum(files);
  if (expected === sumText) return undefined;
  const want = new Map(
    expected
      .split("\n")
      .slice(1)
      .filter(Boolean)
      .map((line) => line.split(" ") as [string, string]),
  );
  const have = new Map(
    sumText
      .split("\n")
      .slice(1)
      .filter(Boolean)
      .map((line) => line.split(" ") as [string, string]),
  );
  for (const [name, hash] of want) {
    if (!have.has(name)) return `${name} is not in atlas.sum (added without re-hashing)`;
    if (have.get(name) !== hash)
      return `${name} (or a file before it) changed after atlas.sum was written`;
  }
  for (const name of have.keys()) {
    if (!want.has(name)) return `${name} is listed in atlas.sum but missing from the directory`;
  }
  return "atlas.sum's first line does not match its entries";
}

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ensureToolchain } from "../toolchain/index.ts";
import { migrateHash } from "./migrate.ts";
import { computeAtlasSum, verifyAtlasSum } from "./sum.ts";

describe("atlas.sum", () => {
  it("computes exactly what `atlas migrate hash` writes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sum-"));
    const files = {
      "20240101000000_init.sql": "CREATE TABLE a (id int);\n",
      "20240102000000_b.sql": "-- comment ü\nCREATE TABLE b (id int);\n",
      "2_short.sql": "SELECT 1;\n",
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const { atlas } = await ensureToolchain();
    await migrateHash({ atlasPath: atlas.path, cwd: dir }, { dir: "." });
    const written = readFileSync(join(dir, "atlas.sum"), "utf8");
    const inputs = Object.entries(files).map(([name, text]) => ({
      name,
      bytes: Buffer.from(text),
    }));
    expect(computeAtlasSum(inputs)).toBe(written);
    expect(verifyAtlasSum(written, inputs)).toBeUndefined();
  });

  it("names the first file that changed after hashing", () => {
    const inputs = [
      { name: "1_a.sql", bytes: Buffer.from("SELECT 1;") },
      { name: "2_b.sql", bytes: Buffer.from("SELECT 2;") },
    ];
    const sum = computeAtlasSum(inputs);
    const edited = [inputs[0], { name: "2_b.sql", bytes: Buffer.from("SELECT 3;") }].filter(
      (item) => item !== undefined,
    );
    expect(verifyAtlasSum(sum, edited)).toBe(
      "2_b.sql (or a file before it) changed after atlas.sum was written",
    );
    expect(verifyAtlasSum(sum, [...inputs, { name: "3_c.sql", bytes: Buffer.from("") }])).toBe(
      "3_c.sql is not in atlas.sum (added without re-hashing)",
    );
  });
});

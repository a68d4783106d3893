import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateMigrations, writeAtlasDirectory, writeDrizzleHistory } from "../bench/generate.ts";
import { labelOf } from "../bench/measure.ts";
import { atlasTimeMs, median } from "../bench/report.ts";
import { migrateApply, migrateLint } from "../src/atlas/index.ts";
import { query } from "../src/db/scratch.ts";
import { readDrizzleHistory } from "../src/drizzle/history.ts";
import { ensureToolchain } from "../src/toolchain/index.ts";
import { freshDatabase } from "./helpers/database.ts";
import { drizzleMigrate } from "./helpers/drizzle-history.ts";

const scratch = mkdtempSync(join(tmpdir(), "bench-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the benchmark's generated histories", () => {
  it("are the same on every run, in version order, and drop nothing", () => {
    const migrations = generateMigrations(200);
    expect(generateMigrations(200)).toEqual(migrations);
    const versions = migrations.map((migration) => migration.version);
    expect([...versions].sort()).toEqual(versions);
    expect(new Set(versions).size).toBe(200);
    const sql = migrations.flatMap((migration) => migration.statements.map((item) => item.sql));
    expect(sql.filter((text) => /\bDROP\b|RENAME/i.test(text))).toEqual([]);
  });

  it("apply with Atlas and with drizzle's migrator to the same tables, and lint without destructive findings", async () => {
    const migrations = generateMigrations(40);
    const atlasDir = join(scratch, "atlas");
    const drizzleDir = join(scratch, "drizzle");
    const { atlas } = await ensureToolchain();
    const context = { atlasPath: atlas.path, cwd: scratch };
    await writeAtlasDirectory(atlasDir, migrations, context);
    writeDrizzleHistory(drizzleDir, migrations);
    expect(readDrizzleHistory(drizzleDir).migrations.map((item) => item.chunks.length)).toEqual(
      migrations.map((migration) => migration.statements.length),
    );

    const [viaAtlas, viaDrizzle, dev] = await Promise.all([
      freshDatabase("bench_atlas"),
      freshDatabase("bench_drizzle"),
      freshDatabase("bench_dev"),
    ]);
    const applied = await migrateApply(context, { url: viaAtlas.url, dir: atlasDir });
    expect(applied.applied).toHaveLength(40);
    await drizzleMigrate(viaDrizzle.url, drizzleDir);
    const columns = (url: string) =>
      query<{ c: string }>(
        url,
        `SELECT table_name || '.' || column_name || ' ' || data_type AS c
         FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1`,
      ).then((rows) => rows.map((row) => row.c));
    expect(await columns(viaDrizzle.url)).toEqual(await columns(viaAtlas.url));

    const linted = await migrateLint(context, { devUrl: dev.url, dir: atlasDir, latest: 40 });
    const codes = linted.flatMap((file) => file.diagnostics.map((item) => item.code));
    expect(linted.filter((file) => file.error)).toEqual([]);
    expect(codes.filter((code) => code.startsWith("DS"))).toEqual([]);
    // The backfill-then-SET NOT NULL migrations draw no MF104.
    expect(new Set(codes.filter((code) => code.startsWith("MF")))).toEqual(
      new Set(["MF101", "MF103"]),
    );
  });
});

describe("the benchmark's measurements", () => {
  it("labels processes without URLs or options, so no password reaches the report", () => {
    expect(
      labelOf([
        "/cache/atlas",
        "migrate",
        "lint",
        "--dev-url",
        "postgres://u:secret@h/db",
        "--dir",
        "file:///x",
      ]),
    ).toBe("atlas migrate lint");
    expect(labelOf(["/usr/bin/node", "/p/@pulumi/pulumi/cmd/dynamic-provider/index.js", "1"])).toBe(
      "node dynamic-provider",
    );
  });

  it("counts overlapping Atlas processes once and ignores the others", () => {
    const record = (label: string, firstSeenMs: number, lastSeenMs: number) => ({
      pid: 1,
      parentPid: 0,
      label,
      firstSeenMs,
      lastSeenMs,
      peakRssBytes: 0,
    });
    expect(
      atlasTimeMs([
        record("atlas migrate lint", 100, 400),
        record("atlas schema diff", 300, 500),
        record("node dynamic-provider", 0, 1000),
        record("atlas migrate apply", 600, 700),
      ]),
    ).toBe(500);
  });

  it("takes the middle value, or the mean of the middle two", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

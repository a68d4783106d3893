import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { passfileFor } from "./client.ts";
import { endpoint } from "./endpoint.ts";
import {
  ChecksumMismatchError,
  ChecksumMissingError,
  ConnectionError,
  classifyFailure,
  DirtyDatabaseError,
  LockHeldError,
} from "./errors.ts";
import { applySchema, lintSchema, parseJsonStream, statusSchema } from "./json.ts";
import {
  lineAt,
  migrateApplyArgs,
  migrateDiffArgs,
  migrateLintArgs,
  migrateStatusArgs,
} from "./migrate.ts";
import { schemaDiffArgs } from "./schema.ts";

const fixture = (name: string) =>
  readFileSync(new URL(`../../test/fixtures/atlas/${name}`, import.meta.url), "utf8");

const TARGET = endpoint(
  "postgres://app:s3cr%3At@db.example.com:6543/shop?sslmode=require",
  "databaseUrl",
);

describe("argv builders", () => {
  it("strip the password from database URLs and keep it as a credential", () => {
    expect(TARGET.arg).toBe("postgres://app@db.example.com:6543/shop?sslmode=require");
    expect(TARGET.credential?.password).toBe("s3cr:t");
    expect(endpoint("postgres://postgres@localhost/app", "x").arg).toBe(
      "postgres://postgres@localhost/app?sslmode=disable",
    );
    expect(endpoint("file://migrations?version=1", "x")).toEqual({
      arg: "file://migrations?version=1",
    });
  });

  it("build migrate status, apply, lint and diff exactly", () => {
    expect(
      migrateStatusArgs(TARGET, { url: "", dir: "migrations", revisionsSchema: "ops" }, "/app"),
    ).toEqual([
      "migrate",
      "status",
      "--url",
      "postgres://app@db.example.com:6543/shop?sslmode=require",
      "--dir",
      "file:///app/migrations",
      "--revisions-schema",
      "ops",
      "--format",
      "{{ json . }}",
    ]);
    expect(
      migrateApplyArgs(
        TARGET,
        { url: "", dir: "/abs/m", baseline: "20240101", txMode: "none", lockTimeoutSeconds: 30 },
        "/app",
      ),
    ).toEqual([
      "migrate",
      "apply",
      "--url",
      "postgres://app@db.example.com:6543/shop?sslmode=require",
      "--dir",
      "file:///abs/m",
      "--baseline",
      "20240101",
      "--tx-mode",
      "none",
      "--lock-timeout",
      "30s",
      "--format",
      "{{ json . }}",
    ]);
    expect(migrateApplyArgs(TARGET, { url: "", dir: "m", allowDirty: true }, "/app")).toEqual([
      "migrate",
      "apply",
      "--url",
      "postgres://app@db.example.com:6543/shop?sslmode=require",
      "--dir",
      "file:///app/m",
      "--allow-dirty",
      "--tx-mode",
      "file",
      "--lock-timeout",
      "10s",
      "--format",
      "{{ json . }}",
    ]);
    const dev = endpoint("postgres://postgres:pw@127.0.0.1:5432/atlas_dev_1", "dev");
    expect(migrateLintArgs(dev, { devUrl: "", dir: "m", latest: 3 }, "/app")).toEqual([
      "migrate",
      "lint",
      "--dev-url",
      "postgres://postgres@127.0.0.1:5432/atlas_dev_1?sslmode=disable",
      "--dir",
      "file:///app/m",
      "--latest",
      "3",
      "--format",
      "{{ json . }}",
    ]);
    expect(
      migrateDiffArgs(
        [{ arg: "file:///tmp/desired.sql" }],
        dev,
        { name: "add_x", dir: "m", to: [], devUrl: "", schemas: ["public", "catalog"] },
        "/app",
      ),
    ).toEqual([
      "migrate",
      "diff",
      "add_x",
      "--to",
      "file:///tmp/desired.sql",
      "--dev-url",
      "postgres://postgres@127.0.0.1:5432/atlas_dev_1?sslmode=disable",
      "--dir",
      "file:///app/m",
      "--schema",
      "public",
      "--schema",
      "catalog",
    ]);
    expect(
      schemaDiffArgs("A", "B", "D", {
        from: "",
        to: "",
        devUrl: "",
        exclude: ["atlas_schema_revisions"],
      }),
    ).toEqual([
      "schema",
      "diff",
      "--from",
      "A",
      "--to",
      "B",
      "--dev-url",
      "D",
      "--exclude",
      "atlas_schema_revisions",
    ]);
  });

  it("writes a libpq password file with escaped fields", () => {
    const credential = TARGET.credential;
    expect(credential).toBeDefined();
    if (!credential) return;
    expect(passfileFor([credential])).toBe("db.example.com:6543:shop:app:s3cr\\:t");
    expect(passfileFor([credential], true)).toBe("db.example.com:6543:*:app:s3cr\\:t");
  });
});

describe("parsing recorded Atlas output", () => {
  it("splits a stream of JSON documents and ignores banners between them", () => {
    expect(parseJsonStream('{"a":1}\nSome banner {not json\n{"b":"}{"}')).toEqual([
      { a: 1 },
      { b: "}{" },
    ]);
  });

  it("reads migrate status before and after a failed apply", () => {
    const before = statusSchema.parse(parseJsonStream(fixture("status-pending.json"))[0]);
    expect(before.Current).toBe("No migration applied yet");
    expect(before.Pending?.map((file) => file.Name)).toEqual([
      "20240101000000_init.sql",
      "20240102000000_drop.sql",
      "20240103000000_bad.sql",
    ]);
    const after = statusSchema.parse(parseJsonStream(fixture("status-after-failure.json"))[0]);
    expect(after.Current).toBe("20240102000000");
    expect(after.Applied?.map((row) => [row.Version, row.Type, row.Applied, row.Total])).toEqual([
      ["20240101000000", "applied", 2, 2],
      ["20240102000000", "applied", 3, 3],
    ]);
  });

  it("reads the failed statement of an apply", () => {
    const apply = applySchema.parse(parseJsonStream(fixture("apply-statement-failed.json"))[0]);
    const failed = apply.Applied?.at(-1);
    expect(failed?.Name).toBe("20240103000000_bad.sql");
    expect(failed?.Error).toEqual({
      Stmt: "INSERT INTO nope VALUES (1);",
      Text: 'pq: relation "nope" does not exist',
    });
    expect(apply.Applied?.slice(0, 2).map((file) => [file.Name, file.Applied?.length])).toEqual([
      ["20240101000000_init.sql", 2],
      ["20240102000000_drop.sql", 3],
    ]);
  });

  it("reads lint diagnostics and locates them by line", () => {
    const lint = lintSchema.parse(parseJsonStream(fixture("lint-findings.json"))[0]);
    const file = lint.Files?.[0];
    expect(file?.Name).toBe("20240102000000_drop.sql");
    const diagnostics = (file?.Reports ?? []).flatMap((report) => report.Diagnostics ?? []);
    expect(diagnostics.map((d) => [d.Code, lineAt(file?.Text ?? "", d.Pos)])).toEqual([
      ["DS103", 1],
      ["MF103", 2],
      ["MF101", 3],
      ["PG101", 3],
    ]);
    const replay = lintSchema.parse(parseJsonStream(fixture("lint-replay-error.json"))[0]);
    expect(replay.Files?.map((f) => [f.Name, f.Error])).toEqual([
      ["20240103000000_bad.sql", 'executing statement: pq: relation "nope" does not exist'],
    ]);
  });
});

describe("classifyFailure", () => {
  const facts = (stderr: string) => ({
    argv: ["migrate", "apply"],
    exitCode: 1,
    stdout: "",
    stderr,
  });
  it("maps Atlas's errors to the classes callers branch on, with the way out", () => {
    const cases: [string, string][] = [
      ["Error: checksum mismatch", ChecksumMismatchError.name],
      ["Error: checksum file not found", ChecksumMissingError.name],
      ["Error: acquiring database lock: lock is held by other session", LockHeldError.name],
      [
        'Error: sql/migrate: connected database is not clean: found table "t" in schema "public". baseline version or allow-dirty is required',
        DirtyDatabaseError.name,
      ],
      ['Error: pq: password authentication failed for user "app"', ConnectionError.name],
      ["Error: dial tcp 127.0.0.1:1: connect: connection refused", ConnectionError.name],
    ];
    expect(cases.map(([stderr]) => classifyFailure(facts(stderr), "migrate apply").name)).toEqual(
      cases.map(([, name]) => name),
    );
    expect(classifyFailure(facts("Error: checksum mismatch"), "migrate apply").message).toBe(
      "migrate apply: checksum mismatch\natlas.sum does not match the migration files. A file was edited, added or removed without re-hashing: never edit an applied migration; for a new one run `npm run db:migrate:hash`.",
    );
  });
});

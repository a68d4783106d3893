import { describe, expect, it } from "vitest";
import { copyExample } from "../../test/helpers/example.ts";
import { buildDesiredState, composeDesiredState } from "./desired-state.ts";

describe("composeDesiredState", () => {
  it("puts extensions first, then the Drizzle export, then extra SQL files in order", () => {
    expect(
      composeDesiredState({
        extensions: ["pg_trgm", "uuid-ossp"],
        drizzleSql: 'CREATE TABLE "t" ("id" integer);\n\n',
        extraSql: [
          { name: "sql/search.sql", text: 'CREATE INDEX "t_id" ON "t" ("id");' },
          {
            name: "sql/audit.sql",
            text: "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n",
          },
        ],
      }),
    ).toBe(
      [
        "-- extensions",
        'CREATE EXTENSION IF NOT EXISTS "pg_trgm";',
        'CREATE EXTENSION IF NOT EXISTS "uuid-ossp";',
        "",
        "-- drizzle-kit export",
        'CREATE TABLE "t" ("id" integer);',
        "",
        "-- sql/search.sql",
        'CREATE INDEX "t_id" ON "t" ("id");',
        "",
        "-- sql/audit.sql",
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;",
        "",
      ].join("\n"),
    );
  });

  it("refuses an extension name that would need quoting", () => {
    expect(() =>
      composeDesiredState({ extensions: ['x"; DROP'], drizzleSql: "", extraSql: [] }),
    ).toThrow('database.devExtensions: "x"; DROP" is not an extension name');
  });
});

describe("buildDesiredState", () => {
  it("reads extra SQL files relative to cwd and names a missing one", async () => {
    const example = copyExample();
    example.append(
      "sql/search.sql",
      "CREATE INDEX products_name_idx ON catalog.products (name);\n",
    );
    const state = await buildDesiredState({
      drizzleConfig: "drizzle.config.ts",
      extraSql: ["sql/search.sql"],
      cwd: example.root,
    });
    expect(state.sql.startsWith('-- drizzle-kit export\nCREATE SCHEMA "catalog";\n')).toBe(true);
    expect(
      state.sql.endsWith(
        "-- sql/search.sql\nCREATE INDEX products_name_idx ON catalog.products (name);\n",
      ),
    ).toBe(true);
    await expect(
      buildDesiredState({
        drizzleConfig: "drizzle.config.ts",
        extraSql: ["sql/nope.sql"],
        cwd: example.root,
      }),
    ).rejects.toThrow(
      `Extra SQL file sql/nope.sql cannot be read (ENOENT). Check the path (relative to ${example.root}).`,
    );
  });
});

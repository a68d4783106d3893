import { describe, expect, it } from "vitest";
import { splitStatements } from "./statements.ts";

describe("splitStatements", () => {
  it("splits on top-level semicolons and keeps quoted, dollar-quoted and commented ones", () => {
    const sql = [
      '-- Create "users" table; with a semicolon in a comment',
      "CREATE TABLE users (name text DEFAULT 'a;b', \"odd;col\" int);",
      "/* block; comment */ CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;",
      "INSERT INTO t VALUES (E'it\\'s;');",
      "ALTER TYPE mood ADD VALUE 'meh'",
    ].join("\n");
    expect(splitStatements(sql).map(({ text, line }) => ({ text, line }))).toEqual([
      { text: "CREATE TABLE users (name text DEFAULT 'a;b', \"odd;col\" int);", line: 2 },
      {
        text: "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;",
        line: 3,
      },
      { text: "INSERT INTO t VALUES (E'it\\'s;');", line: 4 },
      { text: "ALTER TYPE mood ADD VALUE 'meh'", line: 5 },
    ]);
  });
});

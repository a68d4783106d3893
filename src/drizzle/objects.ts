/**
 * The database object a migration statement creates, drops or renames, and whether a live
 * database has it. This is the per-statement half of partial-migration detection: it names the
 * objects in a report, and it sees what Atlas's schema comparison cannot (views, functions,
 * triggers, policies, extensions). Statements it does not recognise are reported as unchecked.
 */
import pg from "pg";

export type ObjectKind =
  | "schema"
  | "enum"
  | "type"
  | "enum value"
  | "table"
  | "column"
  | "index"
  | "constraint"
  | "sequence"
  | "view"
  | "materialized view"
  | "function"
  | "extension"
  | "trigger"
  | "policy";

/** An object a statement makes present (create, add, rename to) or absent (drop). */
export interface StatementObject {
  readonly kind: ObjectKind;
  readonly schema: string;
  /** Table (column, constraint, trigger, policy) or enum (enum value) the object belongs to. */
  readonly parent?: string;
  readonly name: string;
  readonly expect: "present" | "absent";
}

const IDENT = `(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;
const QUALIFIED = String.raw`(${IDENT}(?:\s*\.\s*${IDENT})?)`;
const ID = `(${IDENT})`;
const IF_NOT_EXISTS = String.raw`(?:IF\s+NOT\s+EXISTS\s+)?`;
const IF_EXISTS = String.raw`(?:IF\s+EXISTS\s+)?`;
const ALTER_TABLE = String.raw`^ALTER\s+TABLE\s+${IF_EXISTS}(?:ONLY\s+)?${QUALIFIED}\s+`;

/** Unquotes one identifier (`"Name"` keeps its case; bare names fold to lower case). */
export function unquote(identifier: string): string {
  const text = identifier.trim();
  return text.startsWith('"') ? text.slice(1, -1).replace(/""/g, '"') : text.toLowerCase();
}

/** Splits `"s"."t"` / `t` into schema (default `public`) and name. */
export function qualified(text: string): { schema: string; name: string } {
  const parts = text.match(new RegExp(IDENT, "g")) ?? [];
  if (parts.length >= 2) return { schema: unquote(parts[0] ?? ""), name: unquote(parts[1] ?? "") };
  return { schema: "public", name: unquote(parts[0] ?? "") };
}

/** The statement without leading comments and whitespace. */
function body(statement: string): string {
  return statement.replace(/^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/, "");
}

type Rule = [RegExp, (match: RegExpExecArray) => StatementObject];

const re = (source: string) => new RegExp(source, "is");

const RULES: readonly Rule[] = [
  [re(`^CREATE\\s+SCHEMA\\s+${IF_NOT_EXISTS}${ID}`), (m) => schemaObject(m[1], "present")],
  [re(`^DROP\\s+SCHEMA\\s+${IF_EXISTS}${ID}`), (m) => schemaObject(m[1], "absent")],
  [re(`^CREATE\\s+TYPE\\s+${QUALIFIED}\\s+AS\\s+ENUM`), (m) => named("enum", m[1], "present")],
  [
    re(`^ALTER\\s+TYPE\\s+${QUALIFIED}\\s+ADD\\s+VALUE\\s+${IF_NOT_EXISTS}'((?:[^']|'')*)'`),
    (m) => {
      const type = qualified(m[1] ?? "");
      const value = (m[2] ?? "").replace(/''/g, "'");
      return { kind: "enum value", ...type, parent: type.name, name: value, expect: "present" };
    },
  ],
  [re(`^CREATE\\s+TYPE\\s+${QUALIFIED}`), (m) => named("type", m[1], "present")],
  [re(`^DROP\\s+TYPE\\s+${IF_EXISTS}${QUALIFIED}`), (m) => named("type", m[1], "absent")],
  [
    re(`^CREATE\\s+(?:UNLOGGED\\s+)?TABLE\\s+${IF_NOT_EXISTS}${QUALIFIED}`),
    (m) => named("table", m[1], "present"),
  ],
  [re(`^DROP\\s+TABLE\\s+${IF_EXISTS}${QUALIFIED}`), (m) => named("table", m[1], "absent")],
  [
    re(`${ALTER_TABLE}ADD\\s+COLUMN\\s+${IF_NOT_EXISTS}${ID}`),
    (m) => member("column", m[1], m[2], "present"),
  ],
  [
    re(`${ALTER_TABLE}DROP\\s+COLUMN\\s+${IF_EXISTS}${ID}`),
    (m) => member("column", m[1], m[2], "absent"),
  ],
  [
    re(`${ALTER_TABLE}RENAME\\s+(?:COLUMN\\s+)?${ID}\\s+TO\\s+${ID}`),
    (m) => member("column", m[1], m[3], "present"),
  ],
  [
    re(`${ALTER_TABLE}RENAME\\s+TO\\s+${ID}`),
    (m) => ({
      kind: "table",
      schema: qualified(m[1] ?? "").schema,
      name: unquote(m[2] ?? ""),
      expect: "present",
    }),
  ],
  [
    re(`${ALTER_TABLE}ADD\\s+CONSTRAINT\\s+${ID}`),
    (m) => member("constraint", m[1], m[2], "present"),
  ],
  [
    re(`${ALTER_TABLE}DROP\\s+CONSTRAINT\\s+${IF_EXISTS}${ID}`),
    (m) => member("constraint", m[1], m[2], "absent"),
  ],
  [
    re(
      `^CREATE\\s+(?:UNIQUE\\s+)?INDEX\\s+(?:CONCURRENTLY\\s+)?${IF_NOT_EXISTS}${ID}\\s+ON\\s+(?:ONLY\\s+)?${QUALIFIED}`,
    ),
    (m) => ({
      kind: "index",
      schema: qualified(m[2] ?? "").schema,
      parent: qualified(m[2] ?? "").name,
      name: unquote(m[1] ?? ""),
      expect: "present",
    }),
  ],
  [
    re(`^DROP\\s+INDEX\\s+(?:CONCURRENTLY\\s+)?${IF_EXISTS}${QUALIFIED}`),
    (m) => named("index", m[1], "absent"),
  ],
  [
    re(`^CREATE\\s+SEQUENCE\\s+${IF_NOT_EXISTS}${QUALIFIED}`),
    (m) => named("sequence", m[1], "present"),
  ],
  [re(`^DROP\\s+SEQUENCE\\s+${IF_EXISTS}${QUALIFIED}`), (m) => named("sequence", m[1], "absent")],
  [
    re(`^CREATE\\s+(?:OR\\s+REPLACE\\s+)?MATERIALIZED\\s+VIEW\\s+${IF_NOT_EXISTS}${QUALIFIED}`),
    (m) => named("materialized view", m[1], "present"),
  ],
  [
    re(`^CREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:TEMP\\w*\\s+)?(?:RECURSIVE\\s+)?VIEW\\s+${QUALIFIED}`),
    (m) => named("view", m[1], "present"),
  ],
  [
    re(`^DROP\\s+MATERIALIZED\\s+VIEW\\s+${IF_EXISTS}${QUALIFIED}`),
    (m) => named("materialized view", m[1], "absent"),
  ],
  [re(`^DROP\\s+VIEW\\s+${IF_EXISTS}${QUALIFIED}`), (m) => named("view", m[1], "absent")],
  [
    re(`^CREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:FUNCTION|PROCEDURE)\\s+${QUALIFIED}\\s*\\(`),
    (m) => named("function", m[1], "present"),
  ],
  [
    re(`^DROP\\s+(?:FUNCTION|PROCEDURE)\\s+${IF_EXISTS}${QUALIFIED}`),
    (m) => named("function", m[1], "absent"),
  ],
  [
    re(`^CREATE\\s+EXTENSION\\s+${IF_NOT_EXISTS}${ID}`),
    (m) => ({ kind: "extension", schema: "", name: unquote(m[1] ?? ""), expect: "present" }),
  ],
  [
    re(
      `^CREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:CONSTRAINT\\s+)?TRIGGER\\s+${ID}\\s+.*?\\s+ON\\s+${QUALIFIED}`,
    ),
    (m) => member("trigger", m[2], m[1], "present"),
  ],
  [
    re(`^DROP\\s+TRIGGER\\s+${IF_EXISTS}${ID}\\s+ON\\s+${QUALIFIED}`),
    (m) => member("trigger", m[2], m[1], "absent"),
  ],
  [
    re(`^CREATE\\s+POLICY\\s+${ID}\\s+ON\\s+${QUALIFIED}`),
    (m) => member("policy", m[2], m[1], "present"),
  ],
  [
    re(`^DROP\\s+POLICY\\s+${IF_EXISTS}${ID}\\s+ON\\s+${QUALIFIED}`),
    (m) => member("policy", m[2], m[1], "absent"),
  ],
];

function schemaObject(name: string | undefined, expect: StatementObject["expect"]) {
  const schema = unquote(name ?? "");
  return { kind: "schema", schema, name: schema, expect } as const;
}

function named(kind: ObjectKind, text: string | undefined, expect: StatementObject["expect"]) {
  return { kind, ...qualified(text ?? ""), expect };
}

function member(
  kind: ObjectKind,
  table: string | undefined,
  name: string | undefined,
  expect: StatementObject["expect"],
): StatementObject {
  const owner = qualified(table ?? "");
  return { kind, schema: owner.schema, parent: owner.name, name: unquote(name ?? ""), expect };
}

/** The object a statement creates, drops or renames, or undefined when it is not recognised. */
export function objectOfStatement(statement: string): StatementObject | undefined {
  const text = body(statement);
  for (const [pattern, build] of RULES) {
    const match = pattern.exec(text);
    if (match) return build(match);
  }
  return undefined;
}

/** Human name: `index public.posts_author_idx`, `column public.posts.published`, … */
export function describeObject(object: StatementObject): string {
  const path =
    object.kind === "schema" || object.kind === "extension"
      ? object.name
      : [object.schema, object.parent, object.name].filter(Boolean).join(".");
  return `${object.kind} ${path}`;
}

const RELKINDS: Partial<Record<ObjectKind, string[]>> = {
  table: ["r", "p"],
  index: ["i", "I"],
  sequence: ["S"],
  view: ["v"],
  "materialized view": ["m"],
};

const MEMBER_QUERIES: Partial<Record<ObjectKind, string>> = {
  column: `SELECT 1 FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = $1 AND c.relname = $2 AND a.attname = $3 AND a.attnum > 0 AND NOT a.attisdropped`,
  constraint: `SELECT 1 FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = $1 AND c.relname = $2 AND k.conname = $3`,
  trigger: `SELECT 1 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = $1 AND c.relname = $2 AND t.tgname = $3`,
  policy: `SELECT 1 FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = $1 AND c.relname = $2 AND p.polname = $3`,
  "enum value": `SELECT 1 FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
    JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = $1 AND t.typname = $2 AND e.enumlabel = $3`,
};

/** Whether the object exists in the database the client is connected to. */
export async function objectExists(client: pg.Client, object: StatementObject): Promise<boolean> {
  const run = async (sql: string, params: unknown[]) =>
    (await client.query(sql, params)).rowCount !== 0;
  const relkinds = RELKINDS[object.kind];
  if (relkinds) {
    return run(
      `SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind = ANY($3)`,
      [object.schema, object.name, relkinds],
    );
  }
  const memberQuery = MEMBER_QUERIES[object.kind];
  if (memberQuery) return run(memberQuery, [object.schema, object.parent, object.name]);
  switch (object.kind) {
    case "schema":
      return run("SELECT 1 FROM pg_namespace WHERE nspname = $1", [object.name]);
    case "extension":
      return run("SELECT 1 FROM pg_extension WHERE extname = $1", [object.name]);
    case "function":
      return run(
        `SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = $1 AND p.proname = $2`,
        [object.schema, object.name],
      );
    default: // enum, type
      return run(
        `SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
         WHERE n.nspname = $1 AND t.typname = $2${object.kind === "enum" ? " AND t.typtype = 'e'" : ""}`,
        [object.schema, object.name],
      );
  }
}

/** Opens a client for catalog reads; the caller ends it. */
export async function catalogClient(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  return client;
}

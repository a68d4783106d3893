import { z } from "zod";

/** Pulumi config namespace of every key below (`atlas-rollout:<key>`). */
export const CONFIG_NAMESPACE = "atlas-rollout";

const version = z
  .string()
  .regex(/^\d+$/, "must be a migration version: the digits before the first `_` of a file name");

const waiver = z.strictObject({
  file: z.string().regex(/^[^/\\]+\.sql$/, "must be a migration file name such as 20240102_x.sql"),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, "must be the file's SHA-256 in lowercase hex"),
  codes: z
    .array(z.string().regex(/^[A-Z]{2}\d{3}$/, "must be an Atlas code such as DS103"))
    .optional(),
  reason: z.string().min(10, "must say why the change is safe (10 characters or more)"),
  approvedBy: z.string().min(1, "must name the approver"),
});

/** `atlas-rollout:database` — the target database (its URL is the secret `databaseUrl`). */
export const databaseSettings = z.strictObject({
  /** Schemas the rollout owns; empty means the whole database ("realm"). */
  schemas: z.array(z.string().min(1)).default([]),
  /** Schema of Atlas's revisions table. */
  revisionsSchema: z.string().min(1).default("atlas_schema_revisions"),
  /** Accept a database that already has objects outside the migration history (Supabase). */
  allowDirty: z.boolean().default(false),
  /** Extensions created in every scratch dev database before planning or linting. */
  devExtensions: z.array(z.string().min(1)).default([]),
});

/** `atlas-rollout:migrations` — the Atlas migration directory and how to apply it. */
export const migrationSettings = z.strictObject({
  /** Directory of the Atlas migration files, relative to the project root. */
  dir: z.string().min(1),
  /** `file`: one transaction per file; `all`: one for the run; `none`: statement by statement. */
  txMode: z.enum(["file", "all", "none"]).default("file"),
  /** Version already present in existing databases; recorded on the first rollout. */
  baseline: version.optional(),
  /** Seconds one Atlas command may run before it is stopped. */
  timeoutSeconds: z.number().int().positive().max(86_400).default(600),
  /** Seconds to wait for another rollout's lock on the same database. */
  lockTimeoutSeconds: z.number().int().positive().max(3_600).default(10),
  /** Reviewed approvals for specific lint findings in specific file contents. */
  waivers: z.array(waiver).default([]),
});

/**
 * `atlas-rollout:desiredState` — where the desired schema comes from, so that the preview can
 * tell when schema.ts changed but no migration was planned for it.
 */
export const desiredStateSettings = z.strictObject({
  /** The drizzle config file (`drizzle.config.ts`), relative to the project root. */
  drizzleConfig: z.string().min(1),
  /** SQL files appended to the Drizzle export (objects Drizzle cannot express), in order. */
  extraSql: z.array(z.string().min(1)).default([]),
});

export type DatabaseSettings = z.infer<typeof databaseSettings>;
export type DesiredStateSettings = z.infer<typeof desiredStateSettings>;
export type MigrationSettings = z.infer<typeof migrationSettings>;

/** Keys an object schema accepts at `path` (through defaults, optionals, arrays and records). */
function allowedKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] | undefined {
  // biome-ignore lint/suspicious/noExplicitAny: zod's internal definition is untyped here.
  let def: any = schema._zod.def;
  let rest = [...path];
  for (;;) {
    if (["default", "prefault", "optional", "nullable", "readonly"].includes(def.type)) {
      def = def.innerType._zod.def;
    } else if (def.type === "pipe") {
      def = def.in._zod.def;
    } else if (rest.length === 0) {
      return def.type === "object" ? Object.keys(def.shape) : undefined;
    } else if (def.type === "object") {
      const next = def.shape[String(rest[0])];
      if (!next) return undefined;
      def = next._zod.def;
      rest = rest.slice(1);
    } else if (def.type === "array") {
      def = def.element._zod.def;
      rest = rest.slice(1);
    } else if (def.type === "record") {
      def = def.valueType._zod.def;
      rest = rest.slice(1);
    } else {
      return undefined;
    }
  }
}

function describeIssue(issue: z.core.$ZodIssue, schema: z.ZodType | undefined): [string[], string] {
  const path = issue.path.map(String);
  if (issue.code === "unrecognized_keys") {
    const allowed = schema ? allowedKeysAt(schema, issue.path) : undefined;
    const hint = allowed ? ` (allowed: ${allowed.join(", ")})` : "";
    return [[...path, issue.keys.join(", ")], `unknown key${hint}`];
  }
  if (issue.code === "invalid_type" && / received undefined$/.test(issue.message)) {
    return [
      path,
      `is required (${issue.message.replace(/^Invalid input: |, received undefined$/g, "")})`,
    ];
  }
  if (issue.code === "invalid_key" && issue.issues[0]) {
    // zod reports "Invalid key in record"; the key's own rule says what is wrong with it.
    return [path, `invalid name: ${issue.issues[0].message}`];
  }
  return [path, issue.message];
}

/**
 * Formats zod issues as `<config key>.<path>: <message>` lines. With the schema, an unknown key
 * is reported under its own name together with the keys that are allowed there.
 */
export function describeIssues(key: string, error: z.ZodError, schema?: z.ZodType): string {
  return error.issues
    .map((issue) => {
      const [path, message] = describeIssue(issue, schema);
      return `${[`${CONFIG_NAMESPACE}:${key}`, ...path].join(".")}: ${message}`;
    })
    .join("\n");
}

/** Validates one config value, throwing an error that names the exact key. */
export function parseSetting<T extends z.ZodType>(
  key: string,
  schema: T,
  value: unknown,
): z.infer<T> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    throw new Error(`Invalid stack configuration:\n${describeIssues(key, result.error, schema)}`);
  }
  return result.data;
}

import { z } from "zod";

const waiver = z.looseObject({
  file: z.string(),
  sha256: z.string(),
  codes: z.array(z.string()).optional(),
  reason: z.string(),
  approvedBy: z.string(),
});

/** Inputs of the Migration resource as the provider receives them (secrets already decrypted). */
export const migrationInputs = z.looseObject({
  databaseUrl: z.string({ error: "databaseUrl: required (the target database URL, as a secret)" }),
  devDatabaseUrl: z.string({
    error: "devDatabaseUrl: required (a server where scratch dev databases can be created)",
  }),
  migrationsDir: z.string().min(1, "migrationsDir: required"),
  revisionsSchema: z.string().min(1).default("atlas_schema_revisions"),
  schemas: z.array(z.string()).default([]),
  allowDirty: z.boolean().default(false),
  devExtensions: z.array(z.string()).default([]),
  baseline: z.string().optional(),
  txMode: z.enum(["file", "all", "none"]).default("file"),
  timeoutSeconds: z.number().positive().default(600),
  lockTimeoutSeconds: z.number().positive().default(10),
  waivers: z.array(waiver).default([]),
  /** Drizzle config and extra SQL (absolute paths) for the schema.ts ↔ migrations check. */
  desiredState: z
    .looseObject({ drizzleConfig: z.string(), extraSql: z.array(z.string()).default([]) })
    .optional(),
});

export type MigrationInputs = z.infer<typeof migrationInputs>;

/** Validates raw provider inputs; errors name the input. */
export function parseInputs(raw: unknown): MigrationInputs {
  const result = migrationInputs.safeParse(raw);
  if (!result.success) {
    throw new Error(
      result.error.issues
        .map((issue) => `${issue.path.join(".") || "inputs"}: ${issue.message}`)
        .join("\n"),
    );
  }
  return result.data;
}

/** Inputs that change what a rollout does (everything but the computed plan and secrets). */
export const SETTING_KEYS = [
  "migrationsDir",
  "revisionsSchema",
  "schemas",
  "allowDirty",
  "devExtensions",
  "baseline",
  "txMode",
  "timeoutSeconds",
  "lockTimeoutSeconds",
  "waivers",
  "desiredState",
] as const;

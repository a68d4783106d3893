import { defineConfig } from "drizzle-kit";

// Paths are relative to this file's folder: atlas-rollout runs drizzle-kit there.
export default defineConfig({
  dialect: "postgresql",
  schema: "./schema",
  schemaFilter: ["public", "catalog"],
});

/** The Atlas runner: one typed function per subcommand, one place that spawns the CLI. */
export { type AtlasContext, type AtlasRun, runAtlas } from "./client.ts";
export * from "./errors.ts";
export * from "./migrate.ts";
export * from "./schema.ts";

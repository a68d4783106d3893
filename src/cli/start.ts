/**
 * `npm start`: sets up the toolchain, starts the embedded PostgreSQL (unless DATABASE_URL is
 * set), previews and then rolls out the local stack with its policies, and prints a report.
 */
process.argv.splice(2, process.argv.length - 2, "up", "--stack", "local");
await import("./stack.ts");

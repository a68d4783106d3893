/**
 * Measurement hook for `npm run bench -- --profile`, preloaded into the engine's Node plugins
 * (the dynamic provider and the policy pack) with `NODE_OPTIONS=--import <this file>`. It
 * appends one JSON line per event to BENCH_TRACE_FILE:
 *
 * - `rpc`: each gRPC method the plugin serves (Check, Diff, Create, Analyze, …) with its duration
 *   and the size of its request and response;
 * - `spawn`: each child process (Atlas, go, …) with its argv (URLs dropped) and duration;
 * - `query`: each SQL query through `pg` (scratch databases, the clean-database check).
 *
 * It changes no behaviour: every wrapped function calls the original and returns its result.
 */
import { appendFileSync } from "node:fs";
import { createRequire, syncBuiltinESMExports } from "node:module";
import { join } from "node:path";

const traceFile = process.env.BENCH_TRACE_FILE;
const projectRoot = process.env.ATLAS_ROLLOUT_ROOT ?? process.cwd();

function emit(event: Record<string, unknown>): void {
  if (!traceFile) return;
  appendFileSync(traceFile, `${JSON.stringify({ pid: process.pid, ...event })}\n`);
}

const role = process.argv.some((arg) => arg.includes("dynamic-provider"))
  ? "provider"
  : process.argv.some((arg) => /run-policy-pack|analyzer\.js/.test(arg))
    ? "policy"
    : "other";

if (traceFile && role !== "other") {
  emit({ kind: "start", role, at: Date.now(), uptimeMs: performance.now() });
  // The engine stops plugins with SIGINT; exiting normally lets `--cpu-prof` write its file.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      emit({ kind: "signal", role, signal, at: Date.now() });
      process.exit(0);
    });
  }
  const require = createRequire(join(projectRoot, "package.json"));

  // Child processes: execa spawns through child_process.spawn.
  const childProcess = require("node:child_process") as typeof import("node:child_process");
  const originalSpawn = childProcess.spawn;
  childProcess.spawn = ((...args: Parameters<typeof originalSpawn>) => {
    const [command, argv] = args as unknown as [string, readonly string[] | undefined];
    const started = Date.now();
    const child = originalSpawn(...args);
    const words = [command.split("/").at(-1), ...(Array.isArray(argv) ? argv : [])]
      .filter((word) => typeof word === "string" && !word.includes("://"))
      .slice(0, 4);
    child.once("exit", () =>
      emit({ kind: "spawn", role, argv: words, at: started, ms: Date.now() - started }),
    );
    return child;
  }) as typeof originalSpawn;
  syncBuiltinESMExports();

  // SQL through pg (the project's pg, as the provider resolves it).
  try {
    const pg = require("pg") as { Client: { prototype: { query: (...a: unknown[]) => unknown } } };
    const originalQuery = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: unknown, ...args: unknown[]) {
      const text =
        typeof args[0] === "string" ? args[0] : String((args[0] as { text?: string })?.text);
      const started = Date.now();
      const result = originalQuery.apply(this, args);
      if (result && typeof (result as Promise<unknown>).then === "function") {
        (result as Promise<unknown>).then(
          () =>
            emit({
              kind: "query",
              role,
              sql: text.trim().slice(0, 60),
              at: started,
              ms: Date.now() - started,
            }),
          () => {},
        );
      }
      return result;
    };
  } catch {}

  // gRPC methods the plugin serves.
  try {
    const pulumiRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
    const grpc = pulumiRequire("@grpc/grpc-js") as {
      Server: {
        prototype: { addService: (service: unknown, impl: Record<string, unknown>) => void };
      };
    };
    const originalAdd = grpc.Server.prototype.addService;
    grpc.Server.prototype.addService = function (this: unknown, service, implementation) {
      const wrapped: Record<string, unknown> = {};
      const names = new Set<string>([
        ...Object.keys(implementation),
        ...Object.getOwnPropertyNames(Object.getPrototypeOf(implementation) ?? {}),
      ]);
      for (const name of names) {
        const method = (implementation as Record<string, unknown>)[name];
        if (typeof method !== "function" || name === "constructor") continue;
        if (method.length !== 2) {
          // Not a unary (call, callback) handler: pass it through untouched.
          wrapped[name] = method.bind(implementation);
          continue;
        }
        wrapped[name] = (
          call: { request?: { serializeBinary?: () => Uint8Array } },
          callback: (error: unknown, response?: { serializeBinary?: () => Uint8Array }) => void,
        ) => {
          const requestBytes = call.request?.serializeBinary?.().length ?? 0;
          const started = Date.now();
          return method.call(
            implementation,
            call,
            (error: unknown, response?: { serializeBinary?: () => Uint8Array }) => {
              emit({
                kind: "rpc",
                role,
                method: name,
                at: started,
                ms: Date.now() - started,
                requestBytes,
                responseBytes: response?.serializeBinary?.().length ?? 0,
                failed: Boolean(error),
              });
              callback(error, response);
            },
          );
        };
      }
      return originalAdd.call(this, service, wrapped);
    };
  } catch {}
}

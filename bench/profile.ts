/**
 * Reads what `--profile` collects from the engine's Node plugins: the trace written by
 * `bench/hooks/trace.ts` (gRPC methods, child processes, SQL) and the V8 CPU profiles written by
 * `node --cpu-prof`, and formats them as Markdown tables.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../src/toolchain/index.ts";

interface TraceEvent {
  readonly pid: number;
  readonly kind: "start" | "signal" | "rpc" | "spawn" | "query";
  readonly role: "provider" | "policy";
  readonly at: number;
  readonly ms?: number;
  readonly method?: string;
  readonly argv?: readonly string[];
  readonly sql?: string;
  readonly requestBytes?: number;
  readonly responseBytes?: number;
  readonly uptimeMs?: number;
}

/** Reads a trace file (one JSON object per line). */
export function readTrace(file: string): TraceEvent[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as TraceEvent);
}

const ms = (value: number) => `${Math.round(value).toLocaleString("en")} ms`;
const kib = (bytes: number) => `${Math.round(bytes / 1024).toLocaleString("en")} KiB`;

function keyOf(event: TraceEvent): string {
  if (event.kind === "rpc") return `${event.role} RPC ${event.method}`;
  if (event.kind === "spawn") {
    const words = (event.argv ?? []).filter((word) => !word.startsWith("-")).slice(0, 3);
    return `${event.role} spawn \`${words.join(" ")}\``;
  }
  const sql = (event.sql ?? "").replace(/\s+/g, " ");
  const head = /^(CREATE|DROP) DATABASE/i.test(sql)
    ? sql.split(" ").slice(0, 2).join(" ")
    : sql.slice(0, 40);
  return `${event.role} SQL \`${head}\``;
}

/** Table of the trace: one row per RPC method, command and query kind, in order of first use. */
export function formatTrace(events: readonly TraceEvent[]): string {
  const starts = events.filter((event) => event.kind === "start");
  const origin = Math.min(...events.map((event) => event.at));
  const rows = new Map<
    string,
    { count: number; total: number; first: number; requestBytes: number; responseBytes: number }
  >();
  for (const event of events) {
    if (event.kind === "start" || event.kind === "signal") continue;
    const key = keyOf(event);
    const row = rows.get(key) ?? {
      count: 0,
      total: 0,
      first: event.at,
      requestBytes: 0,
      responseBytes: 0,
    };
    row.count++;
    row.total += event.ms ?? 0;
    row.first = Math.min(row.first, event.at);
    row.requestBytes = Math.max(row.requestBytes, event.requestBytes ?? 0);
    row.responseBytes = Math.max(row.responseBytes, event.responseBytes ?? 0);
    rows.set(key, row);
  }
  const lines = [
    `Plugin processes started: ${starts.map((event) => `${event.role} (pid ${event.pid}, Node ready after ${ms(event.uptimeMs ?? 0)})`).join(", ")}.`,
    "",
    "| what | count | first at | total time | largest request / response |",
    "|---|---:|---:|---:|---:|",
  ];
  for (const [key, row] of [...rows.entries()].sort((a, b) => a[1].first - b[1].first)) {
    const sizes =
      row.requestBytes || row.responseBytes
        ? `${kib(row.requestBytes)} / ${kib(row.responseBytes)}`
        : "";
    lines.push(
      `| ${key} | ${row.count} | ${ms(row.first - origin)} | ${ms(row.total)} | ${sizes} |`,
    );
  }
  return lines.join("\n");
}

interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string };
    readonly children?: readonly number[];
  }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Where a function comes from: a package, a project file, Node itself or V8. */
function originOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules?.[1]) return inModules[1];
  if (url.startsWith("node:")) return "node (built-in modules)";
  const path = url.replace(/^file:\/\//, "");
  return path.startsWith(projectRoot) ? path.slice(projectRoot.length) : url;
}

/**
 * Self time of a CPU profile grouped by origin and by function, and inclusive time by origin
 * (samples with a frame of that origin anywhere on the stack: a package's own work plus the
 * modules it loads and the code it calls). Top `limit` rows each.
 */
export function formatCpuProfile(file: string, limit = 12): string {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parentOf.set(child, node.id);
  const byOrigin = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const delta = (profile.timeDeltas[index] ?? 0) / 1000;
    const node = byId.get(id);
    if (!node) return;
    const { functionName, url } = node.callFrame;
    total += delta;
    const origin = originOf(url, functionName);
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + delta);
    const name = `${functionName || "(anonymous)"} (${origin})`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + delta);
    const onStack = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (frame?.url && !frame.url.startsWith("node:")) onStack.add(originOf(frame.url, ""));
    }
    for (const item of onStack) inclusive.set(item, (inclusive.get(item) ?? 0) + delta);
  });
  const top = (map: Map<string, number>) =>
    [...map.entries()]
      .filter(([name]) => name !== "(idle)")
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit);
  const busy = total - (byOrigin.get("(idle)") ?? 0);
  const lines = [
    `Profiled ${ms(total)}, of which ${ms(busy)} on the CPU (the rest idle, waiting for Atlas, PostgreSQL or the engine).`,
    "",
    "| self time by origin | ms | share of CPU |",
    "|---|---:|---:|",
    ...top(byOrigin).map(
      ([name, value]) => `| ${name} | ${ms(value)} | ${((100 * value) / busy).toFixed(0)} % |`,
    ),
    "",
    "| inclusive time by origin (frame anywhere on the stack) | ms | share of CPU |",
    "|---|---:|---:|",
    ...top(inclusive).map(
      ([name, value]) => `| ${name} | ${ms(value)} | ${((100 * value) / busy).toFixed(0)} % |`,
    ),
    "",
    "| self time by function | ms |",
    "|---|---:|",
    ...top(byFunction).map(([name, value]) => `| \`${name}\` | ${ms(value)} |`),
  ];
  return lines.join("\n");
}

/** CPU profile files in a folder written by a process with the given pid. */
export function cpuProfilesOf(dir: string, pid: number): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".cpuprofile") && name.includes(`.${pid}.`))
    .map((name) => join(dir, name));
}

/**
 * Runs one command in its own process and measures it: wall time, and the peak memory of its
 * whole process tree (the sum of the resident set sizes of the process and all its descendants,
 * sampled from /proc). Every process seen is kept with its lifetime and peak RSS, which is the
 * timeline the profiles in docs/benchmark.md are read from.
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

const PAGE_SIZE = 4096;

/** One process of the measured tree, as the sampler saw it. */
export interface ProcessRecord {
  readonly pid: number;
  readonly parentPid: number;
  /** Executable and leading arguments, shortened (`atlas migrate lint`, `node dynamic-provider`). */
  readonly label: string;
  /** Milliseconds after the start when it was first and last seen. */
  firstSeenMs: number;
  lastSeenMs: number;
  peakRssBytes: number;
}

interface LiveRecord extends ProcessRecord {
  label: string;
  samples: number;
}

/** What one measured run produced. */
export interface Measurement {
  /** Process id of the measured process (the first one, for a sequence). */
  readonly pid: number;
  readonly wallMs: number;
  /** Maximum over time of the summed RSS of the tree. */
  readonly peakTreeBytes: number;
  /**
   * Maximum over time of the summed PSS of the tree (shared pages split between the processes
   * that map them), sampled every fifth tick: what the tree really costs the machine.
   */
  readonly peakTreePssBytes: number;
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly processes: readonly ProcessRecord[];
}

export interface CommandSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Stop the run after this long (ms). */
  readonly timeoutMs?: number;
}

interface ProcStat {
  readonly parentPid: number;
  readonly rssBytes: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { parentPid: Number(fields[1]), rssBytes: Number(fields[21]) * PAGE_SIZE };
  } catch {
    return undefined; // exited between readdir and read
  }
}

const SHORT_NAMES: readonly [RegExp, string][] = [
  [/dynamic-provider/, "dynamic-provider"],
  [/run-policy-pack|analyzer\.js/, "policy-pack"],
];

/** A short, password-free label from a process's argv. */
export function labelOf(argv: readonly string[]): string {
  const [executable = "?", ...rest] = argv;
  const base = executable.split("/").at(-1) ?? executable;
  for (const [pattern, name] of SHORT_NAMES) {
    if (argv.some((arg) => pattern.test(arg))) return `${base} ${name}`;
  }
  const words = rest
    .filter((arg) => !arg.startsWith("-") && !arg.includes("://") && !arg.includes("="))
    .slice(0, 2)
    .map((arg) => arg.split("/").at(-1) ?? arg);
  return [base, ...words].join(" ");
}

/** Proportional set size of a process, or 0 when it is gone. */
function readPss(pid: number): number {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
    const kib = /^Pss:\s+(\d+) kB/m.exec(text)?.[1];
    return kib ? Number(kib) * 1024 : 0;
  } catch {
    return 0;
  }
}

function readLabel(pid: number): string {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    return labelOf(argv);
  } catch {
    return "?";
  }
}

/** Samples the process tree under `rootPid` every `intervalMs` until stopped. */
export class TreeSampler {
  readonly #rootPid: number;
  readonly #started = performance.now();
  readonly #records = new Map<number, LiveRecord>();
  readonly #timer: NodeJS.Timeout;
  #peak = 0;
  #peakPss = 0;
  #ticks = 0;

  constructor(rootPid: number, intervalMs = 50) {
    this.#rootPid = rootPid;
    this.sample();
    this.#timer = setInterval(() => this.sample(), intervalMs);
  }

  /** Takes one sample now. */
  sample(): void {
    const now = performance.now() - this.#started;
    const stats = new Map<number, ProcStat>();
    const children = new Map<number, number[]>();
    for (const entry of readdirSync("/proc")) {
      const pid = Number(entry);
      if (!Number.isInteger(pid)) continue;
      const stat = readStat(pid);
      if (!stat) continue;
      stats.set(pid, stat);
      const siblings = children.get(stat.parentPid);
      if (siblings) siblings.push(pid);
      else children.set(stat.parentPid, [pid]);
    }
    let total = 0;
    let pss = 0;
    const withPss = this.#ticks++ % 5 === 0;
    const queue = stats.has(this.#rootPid) ? [this.#rootPid] : [];
    while (queue.length > 0) {
      const pid = queue.pop() as number;
      const stat = stats.get(pid) as ProcStat;
      total += stat.rssBytes;
      if (withPss) pss += readPss(pid);
      let record = this.#records.get(pid);
      if (!record) {
        record = {
          pid,
          parentPid: stat.parentPid,
          label: readLabel(pid),
          firstSeenMs: now,
          lastSeenMs: now,
          peakRssBytes: 0,
          samples: 0,
        };
        this.#records.set(pid, record);
      } else if (record.samples < 4) {
        // A fresh fork still shows its parent's argv until it execs: look again.
        record.label = readLabel(pid);
      }
      record.samples++;
      record.lastSeenMs = now;
      record.peakRssBytes = Math.max(record.peakRssBytes, stat.rssBytes);
      queue.push(...(children.get(pid) ?? []));
    }
    this.#peak = Math.max(this.#peak, total);
    this.#peakPss = Math.max(this.#peakPss, pss);
  }

  stop(): { peakTreeBytes: number; peakTreePssBytes: number; processes: ProcessRecord[] } {
    clearInterval(this.#timer);
    const processes = [...this.#records.values()].map(
      ({ samples: _samples, ...record }): ProcessRecord => record,
    );
    return { peakTreeBytes: this.#peak, peakTreePssBytes: this.#peakPss, processes };
  }
}

/** Runs a command in its own process and measures it (see the module comment). */
export function measure(spec: CommandSpec): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    if (child.pid === undefined) {
      child.once("error", reject);
      return;
    }
    const sampler = new TreeSampler(child.pid);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const timer = spec.timeoutMs
      ? setTimeout(() => child.kill("SIGTERM"), spec.timeoutMs)
      : undefined;
    child.once("error", (error) => {
      clearTimeout(timer);
      sampler.stop();
      reject(error);
    });
    // The wall time ends at "exit", not "close": a grandchild that outlives the child must not
    // stretch it. The output is collected until "close" (the pipes may still hold a lot of it),
    // waiting at most a few seconds for a grandchild that keeps them open.
    child.once("exit", (code) => {
      const wallMs = performance.now() - started;
      clearTimeout(timer);
      const { peakTreeBytes, peakTreePssBytes, processes } = sampler.stop();
      const finish = () =>
        resolve({
          pid: child.pid as number,
          wallMs,
          peakTreeBytes,
          peakTreePssBytes,
          exitCode: code,
          stdout,
          stderr,
          processes,
        });
      const drained = setTimeout(finish, 5_000);
      child.once("close", () => {
        clearTimeout(drained);
        finish();
      });
    });
  });
}

/** Runs commands one after another as one case: times add up, the peak is the largest. */
export async function measureSequence(specs: readonly CommandSpec[]): Promise<Measurement> {
  const runs: Measurement[] = [];
  for (const spec of specs) {
    const run = await measure(spec);
    runs.push(run);
    if (run.exitCode !== 0) break;
  }
  let offset = 0;
  const processes: ProcessRecord[] = [];
  for (const run of runs) {
    for (const record of run.processes) {
      processes.push({
        ...record,
        firstSeenMs: record.firstSeenMs + offset,
        lastSeenMs: record.lastSeenMs + offset,
      });
    }
    offset += run.wallMs;
  }
  return {
    pid: runs[0]?.pid ?? 0,
    wallMs: offset,
    peakTreeBytes: Math.max(0, ...runs.map((run) => run.peakTreeBytes)),
    peakTreePssBytes: Math.max(0, ...runs.map((run) => run.peakTreePssBytes)),
    exitCode: runs.find((run) => run.exitCode !== 0)?.exitCode ?? 0,
    stdout: runs.map((run) => run.stdout).join(""),
    stderr: runs.map((run) => run.stderr).join(""),
    processes,
  };
}

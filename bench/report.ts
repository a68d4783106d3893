/**
 * Turns case runs into the results table: medians per case and N, the product/raw-Atlas ratios,
 * the growth per ten times more files, the targets, and where the time of the largest preview
 * and up went (from the process timeline every measurement records).
 */
import type { CaseName, CaseRun, FixedCaseName } from "./cases.ts";
import type { ProcessRecord } from "./measure.ts";

const MiB = 1024 * 1024;

/** Median of a non-empty list (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * Time during which at least one Atlas process of the tree was alive (union of lifetimes, at
 * the sampler's 50 ms resolution).
 */
export function atlasTimeMs(processes: readonly ProcessRecord[]): number {
  const spans = processes
    .filter((record) => /^atlas /.test(record.label))
    .map((record) => [record.firstSeenMs, record.lastSeenMs] as const)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const [from, to] of spans) {
    if (to <= end) continue;
    total += to - Math.max(from, end);
    end = to;
  }
  return total;
}

/** Median wall time and peak tree memory of a case's successful runs. */
export interface Summary {
  readonly wallMs: number;
  /** Median of wall time minus the time Atlas processes were running: the product's own part. */
  readonly outsideAtlasMs: number;
  readonly peakBytes: number;
  readonly peakPssBytes: number;
  readonly runs: number;
  readonly failed: number;
  /** The run whose wall time is closest to the median (its timeline is shown). */
  readonly typical: CaseRun | undefined;
}

export function summarize(runs: readonly CaseRun[]): Summary {
  const good = runs.filter((run) => run.ok);
  const wallMs = median(good.map((run) => run.wallMs));
  const typical = [...good].sort(
    (a, b) => Math.abs(a.wallMs - wallMs) - Math.abs(b.wallMs - wallMs),
  )[0];
  return {
    wallMs,
    outsideAtlasMs: median(good.map((run) => run.wallMs - atlasTimeMs(run.processes))),
    peakBytes: median(good.map((run) => run.peakTreeBytes)),
    peakPssBytes: median(good.map((run) => run.peakTreePssBytes)),
    runs: good.length,
    failed: runs.length - good.length,
    typical,
  };
}

/** All results of one bench run. */
export interface Results {
  readonly sizes: readonly number[];
  readonly bySize: ReadonlyMap<number, ReadonlyMap<CaseName, Summary>>;
  readonly fixed: ReadonlyMap<FixedCaseName, Summary>;
  readonly machine: string;
  readonly date: string;
  readonly totalMs: number;
  readonly notes: readonly string[];
}

const seconds = (ms: number) =>
  Number.isNaN(ms)
    ? "—"
    : ms < 10_000
      ? `${(ms / 1000).toFixed(2)} s`
      : `${(ms / 1000).toFixed(1)} s`;
const mebibytes = (bytes: number) => (Number.isNaN(bytes) ? "—" : `${Math.round(bytes / MiB)} MiB`);
const ratio = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : "—");

function cell(summary: Summary | undefined): string {
  if (!summary || summary.runs + summary.failed === 0) return "—";
  if (summary.runs === 0) return `failed (${summary.failed})`;
  const failed = summary.failed > 0 ? ` (${summary.failed} failed)` : "";
  return `${seconds(summary.wallMs)} · ${mebibytes(summary.peakBytes)}${failed}`;
}

const LABELS: Readonly<Record<CaseName, string>> = {
  "atlas-status-lint": "raw Atlas: `migrate status` + `migrate lint --latest N`",
  "product-preview": "product: preview (policy pack, empty lint cache)",
  "atlas-apply": "raw Atlas: `migrate apply`",
  "product-up": "product: up alone (policy pack, empty lint cache)",
  "product-up-after-preview": "product: up right after the preview (as `npm run up`)",
  "drizzle-migrator": "drizzle-orm migrator (0.x journal)",
};

/** The numbers every target is judged on, per N. */
export interface Ratios {
  /** (preview − empty-program preview) / raw status+lint. */
  readonly previewOverhead: number;
  /** up alone / raw apply. */
  readonly upRatio: number;
  /** up right after a preview / raw apply. */
  readonly upAfterPreviewRatio: number;
  /** (up right after a preview − empty-program up) / raw apply. */
  readonly upAfterPreviewOverhead: number;
}

export function ratiosFor(results: Results, size: number): Ratios {
  const row = results.bySize.get(size);
  const wall = (name: CaseName) => row?.get(name)?.wallMs ?? Number.NaN;
  const engine = (name: FixedCaseName) => results.fixed.get(name)?.wallMs ?? Number.NaN;
  return {
    previewOverhead:
      (wall("product-preview") - engine("engine-preview")) / wall("atlas-status-lint"),
    upRatio: wall("product-up") / wall("atlas-apply"),
    upAfterPreviewRatio: wall("product-up-after-preview") / wall("atlas-apply"),
    upAfterPreviewOverhead:
      (wall("product-up-after-preview") - engine("engine-up")) / wall("atlas-apply"),
  };
}

/** Growth of a case's time (engine subtracted for product cases) from one size to the next. */
function growth(results: Results, name: CaseName, engineCase?: FixedCaseName): string[] {
  const base = engineCase ? (results.fixed.get(engineCase)?.wallMs ?? 0) : 0;
  return results.sizes.map((size, index) => {
    const previous = results.sizes[index - 1];
    if (previous === undefined) return "";
    const now = (results.bySize.get(size)?.get(name)?.wallMs ?? Number.NaN) - base;
    const before = (results.bySize.get(previous)?.get(name)?.wallMs ?? Number.NaN) - base;
    return `${ratio(now / before)} for ${size / previous}× files`;
  });
}

/** One line per target: met or missed, with the number it was judged on. */
export function formatTargets(results: Results): string {
  const verdict = (ok: boolean) => (ok ? "met" : "**missed**");
  const lines: string[] = [];
  const largest = results.sizes.at(-1) as number;
  const ratios = results.sizes.map((size) => [size, ratiosFor(results, size)] as const);
  lines.push(
    `- Preview ≤ 1.3 × raw status+lint + engine start: ${ratios.map(([size, item]) => `N = ${size} ${ratio(item.previewOverhead)} ${verdict(item.previewOverhead <= 1.3)}`).join("; ")}.`,
  );
  lines.push(
    `- Up ≤ 1.2 × raw apply (up right after the preview, as \`npm run up\`): ${ratios.map(([size, item]) => `N = ${size} ${ratio(item.upAfterPreviewRatio)} ${verdict(item.upAfterPreviewRatio <= 1.2)}`).join("; ")}. Up alone (nothing cached): ${ratios.map(([size, item]) => `N = ${size} ${ratio(item.upRatio)}`).join("; ")}.`,
  );
  const previous = results.sizes.at(-2);
  if (previous !== undefined) {
    const factor = largest / previous;
    const grows = (name: CaseName, engine: FixedCaseName) => {
      const base = results.fixed.get(engine)?.wallMs ?? 0;
      const now = (results.bySize.get(largest)?.get(name)?.wallMs ?? Number.NaN) - base;
      const before = (results.bySize.get(previous)?.get(name)?.wallMs ?? Number.NaN) - base;
      return now / before;
    };
    const preview = grows("product-preview", "engine-preview");
    const up = grows("product-up-after-preview", "engine-up");
    lines.push(
      `- Linear growth (time without the engine, N = ${previous} → ${largest}, ${factor}× files; allowing 1.2 × ${factor}): preview ${ratio(preview)} ${verdict(preview <= 1.2 * factor)}, up after preview ${ratio(up)} ${verdict(up <= 1.2 * factor)}.`,
    );
  }
  const start = results.fixed.get("npm-start-warm");
  if (start && start.runs > 0) {
    lines.push(
      `- Warm \`npm start\`, nothing pending, ≤ 10 s: ${seconds(start.wallMs)} ${verdict(start.wallMs <= 10_000)}.`,
    );
  }
  const memory = (name: CaseName) =>
    results.bySize.get(largest)?.get(name)?.peakBytes ?? Number.NaN;
  const limit = 500 * MiB;
  lines.push(
    `- Peak memory of all processes ≤ 500 MiB at N = ${largest}: preview ${mebibytes(memory("product-preview"))} ${verdict(memory("product-preview") <= limit)}, up alone ${mebibytes(memory("product-up"))} ${verdict(memory("product-up") <= limit)}, up after preview ${mebibytes(memory("product-up-after-preview"))} ${verdict(memory("product-up-after-preview") <= limit)}.`,
  );
  return lines.join("\n");
}

/** Markdown of the results table plus targets and notes. */
export function formatResults(results: Results): string {
  const lines: string[] = [];
  const header = ["case", ...results.sizes.map((size) => `N = ${size.toLocaleString("en")}`)];
  lines.push(`| ${header.join(" | ")} |`);
  lines.push(`|${header.map((_, index) => (index === 0 ? "---" : "---:")).join("|")}|`);
  for (const [name, label] of Object.entries(LABELS) as [CaseName, string][]) {
    const cells = results.sizes.map((size) => cell(results.bySize.get(size)?.get(name)));
    lines.push(`| ${label} | ${cells.join(" | ")} |`);
  }
  const ratios = results.sizes.map((size) => ratiosFor(results, size));
  lines.push(
    `| **preview overhead** (preview − engine) / raw status+lint, target ≤ 1.3× | ${ratios.map((item) => ratio(item.previewOverhead)).join(" | ")} |`,
  );
  lines.push(
    `| **up alone / raw apply**, target ≤ 1.2× | ${ratios.map((item) => ratio(item.upRatio)).join(" | ")} |`,
  );
  lines.push(
    `| **up after preview / raw apply**, target ≤ 1.2× | ${ratios.map((item) => ratio(item.upAfterPreviewRatio)).join(" | ")} |`,
  );
  lines.push(
    `| (up after preview − engine) / raw apply | ${ratios.map((item) => ratio(item.upAfterPreviewOverhead)).join(" | ")} |`,
  );
  if (results.sizes.length > 1) {
    lines.push(`| growth: raw status+lint | ${growth(results, "atlas-status-lint").join(" | ")} |`);
    lines.push(
      `| growth: preview − engine | ${growth(results, "product-preview", "engine-preview").join(" | ")} |`,
    );
    lines.push(`| growth: raw apply | ${growth(results, "atlas-apply").join(" | ")} |`);
    lines.push(
      `| growth: up alone − engine | ${growth(results, "product-up", "engine-up").join(" | ")} |`,
    );
    lines.push(
      `| growth: up after preview − engine | ${growth(results, "product-up-after-preview", "engine-up").join(" | ")} |`,
    );
  }
  lines.push("");
  lines.push(
    "Time outside Atlas: wall time minus the time an Atlas process was running (from the process timeline; compare with the engine's fixed cost below). It is the product's own share, and it does not depend on how fast Atlas and PostgreSQL happened to be:",
  );
  lines.push("");
  lines.push(
    `| case | ${results.sizes.map((size) => `N = ${size.toLocaleString("en")}`).join(" | ")} |`,
  );
  lines.push(`|---|${results.sizes.map(() => "---:").join("|")}|`);
  for (const name of ["product-preview", "product-up", "product-up-after-preview"] as const) {
    const cells = results.sizes.map((size) => {
      const summary = results.bySize.get(size)?.get(name);
      return summary && summary.runs > 0 ? seconds(summary.outsideAtlasMs) : "—";
    });
    lines.push(`| ${LABELS[name]} | ${cells.join(" | ")} |`);
  }
  lines.push("");
  lines.push(
    "Peak memory of the whole tree, RSS sum (as in the table) and PSS sum (shared pages counted once), target for preview and up ≤ 500 MiB at N = 1,000:",
  );
  lines.push("");
  lines.push(
    `| case | ${results.sizes.map((size) => `N = ${size.toLocaleString("en")}`).join(" | ")} |`,
  );
  lines.push(`|---|${results.sizes.map(() => "---:").join("|")}|`);
  for (const name of ["atlas-status-lint", "product-preview", "product-up"] as const) {
    const cells = results.sizes.map((size) => {
      const summary = results.bySize.get(size)?.get(name);
      if (!summary || summary.runs === 0) return "—";
      // PSS is read every fifth sample: a run shorter than that has none.
      const pss = summary.peakPssBytes >= MiB ? mebibytes(summary.peakPssBytes) : "—";
      return `${mebibytes(summary.peakBytes)} / ${pss}`;
    });
    lines.push(`| ${LABELS[name]} | ${cells.join(" | ")} |`);
  }
  lines.push("");
  lines.push("Fixed costs (no migration files involved):");
  lines.push("");
  lines.push("| case | median |");
  lines.push("|---|---:|");
  const fixedLabels: Readonly<Record<FixedCaseName, string>> = {
    "engine-preview": "engine start: preview of a program that declares nothing (policy pack on)",
    "engine-up": "engine start: up of a program that declares nothing (policy pack on)",
    "npm-start-warm": "`npm start`, warm, nothing pending (example stack, 3 files), target ≤ 10 s",
  };
  for (const [name, label] of Object.entries(fixedLabels) as [FixedCaseName, string][]) {
    lines.push(`| ${label} | ${cell(results.fixed.get(name))} |`);
  }
  return lines.join("\n");
}

/** One line per kind of process: how many, how long alive in total, the largest RSS. */
export function timeline(processes: readonly ProcessRecord[], wallMs: number): string {
  const groups = new Map<string, { count: number; aliveMs: number; peak: number; first: number }>();
  for (const record of processes) {
    const label = record.label.replace(/_[0-9a-f]{12}\b/g, "_…");
    const group = groups.get(label) ?? { count: 0, aliveMs: 0, peak: 0, first: record.firstSeenMs };
    group.count++;
    group.aliveMs += record.lastSeenMs - record.firstSeenMs;
    group.peak = Math.max(group.peak, record.peakRssBytes);
    group.first = Math.min(group.first, record.firstSeenMs);
    groups.set(label, group);
  }
  const rows = [...groups.entries()].sort((a, b) => a[1].first - b[1].first);
  const lines = [
    `| process (sampled every 50 ms; wall ${seconds(wallMs)}) | count | first seen | alive (sum) | peak RSS |`,
    "|---|---:|---:|---:|---:|",
  ];
  for (const [label, group] of rows) {
    lines.push(
      `| \`${label}\` | ${group.count} | ${seconds(group.first)} | ${seconds(group.aliveMs)} | ${mebibytes(group.peak)} |`,
    );
  }
  return lines.join("\n");
}

/** Formats marks from bench/case.ts as `loaded 0.31 s → opened 1.20 s → done 9.80 s`. */
export function formatMarks(marks: Readonly<Record<string, number>> | undefined): string {
  if (!marks) return "";
  return Object.entries(marks)
    .map(([name, at]) => `${name} ${seconds(at)}`)
    .join(" → ");
}

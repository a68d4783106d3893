import type { MigrationPlan } from "../migration/plan.ts";

const pad = (label: string) => `  ${label.padEnd(12)}`;

/** Formats a migration plan as a short, scannable block of text. */
export function formatPlan(plan: MigrationPlan): string {
  const lines: string[] = [];
  lines.push(`${pad("current")}${plan.currentVersion ?? "nothing applied"}`);
  if (plan.baseline) {
    lines.push(
      `${pad("baseline")}${plan.baseline.version}${plan.baseline.willBaseline ? " (recorded as applied on rollout)" : " (recorded)"}`,
    );
  }
  if (plan.pending.length === 0) {
    lines.push(`${pad("pending")}nothing: the database is up to date`);
  } else {
    lines.push(`${pad("pending")}${plan.pending.length} file(s) → ${plan.targetVersion}`);
    for (const file of plan.pending) {
      const resume = file.alreadyApplied > 0 ? `, resumes after ${file.alreadyApplied}` : "";
      lines.push(
        `    ${file.name}  ${file.statements.length} statement(s), tx ${file.txMode}${resume}`,
      );
    }
  }
  if (plan.partial) {
    lines.push(
      `${pad("partial")}${plan.partial.version}: ${plan.partial.applied} of ${plan.partial.total} statements applied; failed at: ${plan.partial.errorStatement}`,
    );
  }
  if (plan.outOfOrder.length > 0) lines.push(`${pad("out of order")}${plan.outOfOrder.join(", ")}`);
  lines.push(`${pad("integrity")}atlas.sum ${plan.integrity.status}`);
  const findings = plan.lint.findings;
  const lintHead =
    plan.lint.status === "ok"
      ? `${findings.length} finding(s)`
      : `${plan.lint.status}${plan.lint.reason ? `: ${plan.lint.reason}` : ""}`;
  lines.push(`${pad("lint")}${lintHead}`);
  for (const finding of findings) {
    const waived = finding.waivedBy
      ? `  [waived by ${finding.waivedBy.approvedBy}: ${finding.waivedBy.reason}]`
      : "";
    lines.push(`    ${finding.code} ${finding.file}:${finding.line}  ${finding.message}${waived}`);
    lines.push(`          ${finding.statement.split("\n")[0]}`);
  }
  const drift = plan.drift;
  lines.push(`${pad("drift")}${drift.status}${drift.reason ? ` (${drift.reason})` : ""}`);
  if (drift.diff) for (const line of drift.diff.split("\n")) lines.push(`    ${line}`);
  if (plan.schemaDrift.status !== "skipped") {
    lines.push(
      `${pad("schema.ts")}${plan.schemaDrift.status === "none" ? "in sync with the migrations" : plan.schemaDrift.status}`,
    );
    if (plan.schemaDrift.diff)
      for (const line of plan.schemaDrift.diff.split("\n")) lines.push(`    ${line}`);
  }
  return lines.join("\n");
}

/** Formats elapsed milliseconds as `1.2s`. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

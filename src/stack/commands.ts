import { writeFileSync } from "node:fs";
import type { MigrationPlan } from "../migration/plan.ts";
import type { OpenedStack } from "./named.ts";
import { recoverInterruptedRun } from "./recover.ts";
import { formatPlan, seconds } from "./report.ts";
import { planCollector } from "./workspace.ts";

/** Result of a preview: the plans the engine computed and whether policies passed. */
export interface PreviewOutcome {
  readonly ok: boolean;
  readonly plans: MigrationPlan[];
  readonly changes: string;
  /** Engine diagnostics and policy violations (the part a person needs when it fails). */
  readonly findings: string;
}

function summarize(summary: Record<string, number | undefined>): string {
  const parts = Object.entries(summary)
    .filter(([op, count]) => op !== "same" && (count ?? 0) > 0)
    .map(([op, count]) => `${op} ${count}`);
  return parts.length > 0 ? parts.join(", ") : "no changes";
}

/** Keeps the engine's "Policies:" and "Diagnostics:" sections, which explain a failure. */
export function engineFindings(output: string): string {
  const lines = output.split("\n");
  const kept: string[] = [];
  let keep = false;
  for (const line of lines) {
    if (/^(Policies|Diagnostics|Policy Violations):/.test(line)) keep = true;
    else if (/^(Resources|Outputs|Duration):/.test(line) || /^(Previewing|Updating) /.test(line))
      keep = false;
    if (keep) kept.push(line);
  }
  return kept.join("\n").trim();
}

/** Runs a preview with the stack's policies and prints the migration report. */
export async function runPreview(
  opened: OpenedStack,
  say: (line: string) => void,
): Promise<PreviewOutcome> {
  const collected = planCollector();
  let output = "";
  let ok = true;
  let changes = "";
  try {
    await recoverInterruptedRun(opened.stack, (line) => say(`  recovery    ${line}`));
    const result = await opened.stack.preview({
      policyPacks: opened.policyPacks,
      policyPackConfigs: opened.policyPackConfigs,
      onEvent: collected.onEvent,
      onOutput: (text) => {
        output += text;
      },
    });
    changes = summarize(result.changeSummary);
  } catch (error) {
    ok = false;
    // The streamed output already holds the policy and diagnostic sections; the error text
    // repeats them, so it is used only when nothing was streamed.
    if (!engineFindings(output)) output += `\n${(error as Error).message}`;
  }
  const plans = [...collected.plans.values()];
  for (const plan of plans) say(formatPlan(plan));
  const findings = engineFindings(output);
  if (ok) {
    say(`  engine      ${changes}`);
    if (findings.includes("Policies:")) say(findings);
  } else {
    say(findings || output.trim().split("\n").slice(-25).join("\n"));
  }
  return { ok, plans, changes, findings };
}

/** Runs an update with the stack's policies and prints what it applied. */
export async function runUp(
  opened: OpenedStack,
  say: (line: string) => void,
): Promise<{ ok: boolean; outputs: Record<string, unknown> }> {
  const started = Date.now();
  let output = "";
  try {
    await recoverInterruptedRun(opened.stack, (line) => say(`  recovery    ${line}`));
    const result = await opened.stack.up({
      policyPacks: opened.policyPacks,
      policyPackConfigs: opened.policyPackConfigs,
      onOutput: (text) => {
        output += text;
      },
    });
    const outputs: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(result.outputs)) outputs[key] = value.value;
    const changes = summarize((result.summary.resourceChanges ?? {}) as Record<string, number>);
    // Outputs keep the last rollout's files; report them only when this run changed something.
    const applied = (changes === "no changes" ? [] : (outputs.appliedFiles ?? [])) as {
      name: string;
      statements: number;
      durationMs: number;
    }[];
    if (applied.length === 0) say("  applied     nothing (already up to date)");
    for (const file of applied)
      say(`  applied     ${file.name}  ${file.statements} statement(s), ${file.durationMs} ms`);
    say(
      `  version     ${outputs.currentVersion ?? "none"}  (status ${outputs.status ?? "unknown"})`,
    );
    say(`  engine      ${changes}, ${seconds(Date.now() - started)}`);
    return { ok: true, outputs };
  } catch (error) {
    if (!engineFindings(output)) output += `\n${(error as Error).message}`;
    const findings = engineFindings(output);
    say(findings || output.trim().split("\n").slice(-25).join("\n"));
    return { ok: false, outputs: {} };
  }
}

/** Writes a Markdown report (for pull-request comments and job summaries) when asked to. */
export function writeMarkdownReport(
  file: string | undefined,
  stackName: string,
  outcome: PreviewOutcome,
) {
  if (!file) return;
  const body = [
    `### Migration preview: \`${stackName}\` ${outcome.ok ? "✅" : "❌ blocked"}`,
    "",
    "```",
    ...outcome.plans.map((plan) => formatPlan(plan)),
    "```",
    ...(outcome.findings
      ? [
          "",
          "<details><summary>Policies and diagnostics</summary>",
          "",
          "```",
          outcome.findings,
          "```",
          "</details>",
        ]
      : []),
    "",
  ].join("\n");
  writeFileSync(file, body);
}

/** Plain-text report of an adoption: conversion, decision, findings with their next steps. */
import type { AdoptionDecision, AdoptionFinding } from "./adopt.ts";
import { describeStates } from "./adopt.ts";
import type { Conversion } from "./convert.ts";

const LAYOUTS = { journal: "drizzle-kit 0.x journal", folders: "drizzle-kit 1.x folders" };

/** Lines describing what the conversion wrote. */
export function formatConversion(conversion: Conversion, shownDir: string, shownFrom: string) {
  const lines = [
    `drizzle history  ${shownFrom} (${LAYOUTS[conversion.layout]}, ${conversion.migrations.length} migrations)`,
    `atlas directory  ${shownDir} (${conversion.written.length} file(s) written, ${conversion.migrations.length - conversion.written.length} unchanged; atlas.sum updated)`,
  ];
  const width = Math.max(...conversion.migrations.map((item) => item.drizzle.tag.length), 0);
  for (const item of conversion.migrations) {
    lines.push(`  ${item.drizzle.tag.padEnd(width)}  ->  ${item.file}`);
  }
  for (const file of conversion.otherFiles) lines.push(`  (kept, not from drizzle)  ${file}`);
  // Moved versions are also adoption findings; print them once, there.
  for (const note of conversion.notes) {
    if (note.kind !== "version-moved") lines.push(`  note: ${note.message}`);
  }
  return lines;
}

function indent(text: string, prefix: string): string[] {
  return text.split("\n").map((line) => `${prefix}${line}`);
}

function formatFinding(finding: AdoptionFinding): string[] {
  const lines = [`  ${finding.severity.padEnd(7)} ${finding.message}`];
  if (finding.statements) {
    for (const line of describeStates(finding.statements)) lines.push(`          ${line}`);
  }
  if (finding.diff) {
    lines.push("          differences (Atlas SQL from the database to the history):");
    lines.push(...indent(finding.diff, "            "));
  }
  if (finding.nextStep) lines.push(`          next: ${finding.nextStep}`);
  return lines;
}

/** Lines describing the decision. */
export function formatDecision(decision: AdoptionDecision): string[] {
  const baseline =
    decision.baseline ??
    (decision.status === "fresh" ? "none needed (fresh database)" : "none (refused: see findings)");
  const lines = [
    `status           ${decision.status}`,
    `baseline         ${baseline}`,
    `recorded         ${decision.recorded.length > 0 ? decision.recorded.join(", ") : "nothing"}`,
  ];
  if (decision.findings.length > 0) {
    lines.push("findings");
    for (const finding of decision.findings) lines.push(...formatFinding(finding));
  }
  return lines;
}

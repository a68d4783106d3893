/**
 * Builds the pull-request comment (and job summary) for one stack's preview:
 *
 * ```sh
 * node .github/scripts/preview-report.ts <stack> <outcome> <report.md> <preview.log> > comment.md
 * ```
 *
 * Uses the Markdown report when the preview wrote one, else the tail of the console log. Every
 * value of the secret environment variables below, and any password in a postgres URL, is
 * replaced by `***` first: GitHub masks secrets in job logs, not in comments.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { redact } from "../../src/db/url.ts";

/** Environment variables whose values never appear in a comment. */
export const SECRET_VARIABLES = [
  "DATABASE_URL",
  "PULUMI_BACKEND_URL",
  "PULUMI_CONFIG_PASSPHRASE",
  "PULUMI_ACCESS_TOKEN",
] as const;

/** GitHub rejects comment bodies over 65,536 characters; leave room for the frame. */
export const MAX_BODY = 60_000;

/** First line of a stack's comment: lets the workflow find and update it instead of adding one. */
export function commentMarker(stack: string): string {
  return `<!-- atlas-rollout-preview:${stack} -->`;
}

/** What one stack's preview produced. */
export interface PreviewOutcome {
  readonly stack: string;
  /** The preview step's outcome: success, failure, cancelled or skipped. */
  readonly outcome: string;
  /** Markdown migration report, when the preview wrote one. */
  readonly report: string | undefined;
  /** Console output of the preview. */
  readonly log: string;
  /** Values to hide. */
  readonly secrets: readonly (string | undefined)[];
}

/** Returns the Markdown comment for one stack's preview, secrets redacted and size-limited. */
export function previewComment(preview: PreviewOutcome): string {
  const verdict = preview.outcome === "success" ? "✅ ready to roll out" : `❌ ${preview.outcome}`;
  const header = `${commentMarker(preview.stack)}\n### Migration preview: \`${preview.stack}\` — ${verdict}\n\n`;
  const report = preview.report?.trim();
  let body: string;
  if (report) {
    body = redact(report, preview.secrets);
    if (body.length > MAX_BODY)
      body = `${body.slice(0, MAX_BODY)}\n\n… (cut; see the job summary log)`;
  } else {
    let log = redact(preview.log, preview.secrets).trimEnd();
    if (log.length > MAX_BODY) log = `…\n${log.slice(log.length - MAX_BODY)}`;
    // A fence longer than any backtick run in the log keeps the log from closing it.
    const longestRun = Math.max(2, ...(log.match(/`+/g) ?? []).map((run) => run.length));
    const fence = "`".repeat(longestRun + 1);
    body = `No migration report was written; preview output:\n\n${fence}text\n${log}\n${fence}`;
  }
  return `${header}${body}\n`;
}

function readIfPresent(path: string | undefined): string | undefined {
  return path && existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [stack, outcome, reportFile, logFile] = process.argv.slice(2);
  if (!stack || !outcome) {
    console.error("usage: preview-report.ts <stack> <outcome> [report.md] [preview.log]");
    process.exit(2);
  }
  process.stdout.write(
    previewComment({
      stack,
      outcome,
      report: readIfPresent(reportFile),
      log: readIfPresent(logFile) ?? "",
      secrets: SECRET_VARIABLES.map((name) => process.env[name]),
    }),
  );
}

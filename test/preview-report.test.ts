import { describe, expect, it } from "vitest";
import { commentMarker, MAX_BODY, previewComment } from "../.github/scripts/preview-report.ts";

const base = { stack: "staging", outcome: "success", report: undefined, log: "", secrets: [] };

describe("previewComment", () => {
  it("uses the Markdown report when the preview wrote one", () => {
    expect(
      previewComment({
        ...base,
        report: "| file | status |\n|---|---|\n| 0001_init.sql | pending |\n",
      }),
    ).toBe(
      "<!-- atlas-rollout-preview:staging -->\n### Migration preview: `staging` — ✅ ready to roll out\n\n" +
        "| file | status |\n|---|---|\n| 0001_init.sql | pending |\n",
    );
  });

  it("falls back to the log in a fence that the log cannot close", () => {
    expect(
      previewComment({ ...base, outcome: "failure", log: "error in ```sql\nDROP TABLE x;\n" }),
    ).toBe(
      "<!-- atlas-rollout-preview:staging -->\n### Migration preview: `staging` — ❌ failure\n\n" +
        "No migration report was written; preview output:\n\n````text\nerror in ```sql\nDROP TABLE x;\n````\n",
    );
  });

  it("never repeats a secret or a database password", () => {
    const comment = previewComment({
      ...base,
      report: "target postgres://app:hunter22@db:5432/shop, passphrase correct-horse",
      secrets: ["correct-horse", undefined, ""],
    });
    expect(comment).not.toContain("hunter22");
    expect(comment).not.toContain("correct-horse");
    expect(comment).toContain("postgres://app:***@db:5432/shop, passphrase ***");
  });

  it("keeps the end of a long log within GitHub's comment limit", () => {
    const log = `${"x".repeat(MAX_BODY)}\nthe last line`;
    const comment = previewComment({ ...base, outcome: "failure", log });
    expect(comment.length).toBeLessThan(65_536);
    expect(comment).toContain("the last line");
    expect(comment.startsWith(commentMarker("staging"))).toBe(true);
  });
});

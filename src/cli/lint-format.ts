import type { LintedFile } from "../atlas/index.ts";

/** One line per finding and per broken file, then a summary line (pure). */
export function formatLint(files: readonly LintedFile[], dir: string): string[] {
  const lines: string[] = [];
  for (const file of files) {
    const byLine = [...file.diagnostics].sort((a, b) => a.line - b.line);
    for (const diagnostic of byLine) {
      lines.push(
        `${dir}/${file.name}:${diagnostic.line}  ${diagnostic.code}  ${diagnostic.message}`,
      );
    }
    if (file.error) lines.push(`${dir}/${file.name}  error  ${file.error}`);
  }
  const findings = files.reduce((sum, file) => sum + file.diagnostics.length, 0);
  const broken = files.filter((file) => file.error).length;
  const withFindings = files.filter((file) => file.diagnostics.length > 0).length;
  lines.push(
    `${[
      `${files.length} file(s) linted`,
      findings === 0 ? "no findings" : `${findings} finding(s) in ${withFindings} file(s)`,
      broken > 0 ? `${broken} file(s) could not be linted` : "",
    ]
      .filter(Boolean)
      .join(", ")}.`,
  );
  return lines;
}

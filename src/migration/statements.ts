/** One SQL statement of a migration file, located by character offset. */
export interface Statement {
  /** Statement text from its first keyword to its `;` (leading comments removed). */
  readonly text: string;
  /** Character offset of the statement's first keyword. */
  readonly start: number;
  /** Character offset just after its terminating `;` (or end of file). */
  readonly end: number;
  /** 1-based line of `start`. */
  readonly line: number;
}

/**
 * Splits SQL into statements on top-level `;`, respecting quotes, identifiers, dollar quoting
 * and comments, like Atlas's own splitter for PostgreSQL files.
 */
export function splitStatements(sql: string): Statement[] {
  const statements: Statement[] = [];
  let begin = -1; // first non-comment, non-space character of the current statement
  let i = 0;
  const push = (end: number) => {
    if (begin >= 0) {
      statements.push({
        text: sql.slice(begin, end).trim(),
        start: begin,
        end,
        line: sql.slice(0, begin).split("\n").length,
      });
    }
    begin = -1;
  };
  while (i < sql.length) {
    const ch = sql[i] as string;
    const next = sql[i + 1];
    if (ch === "-" && next === "-") {
      const newline = sql.indexOf("\n", i);
      i = newline < 0 ? sql.length : newline + 1;
      continue;
    }
    if (ch === "/" && next === "*") {
      let depth = 1;
      i += 2;
      while (i < sql.length && depth > 0) {
        if (sql[i] === "/" && sql[i + 1] === "*") {
          depth++;
          i += 2;
        } else if (sql[i] === "*" && sql[i + 1] === "/") {
          depth--;
          i += 2;
        } else i++;
      }
      continue;
    }
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (begin < 0) begin = i;
    if (ch === ";") {
      push(i + 1);
      i++;
      continue;
    }
    if (ch === "'" || ch === '"') {
      const escapes = ch === "'" && (sql[i - 1] === "E" || sql[i - 1] === "e");
      i++;
      while (i < sql.length) {
        if (escapes && sql[i] === "\\") i += 2;
        else if (sql[i] === ch && sql[i + 1] === ch) i += 2;
        else if (sql[i] === ch) break;
        else i++;
      }
      i++;
      continue;
    }
    if (ch === "$") {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i))?.[0];
      if (tag) {
        const close = sql.indexOf(tag, i + tag.length);
        i = close < 0 ? sql.length : close + tag.length;
        continue;
      }
    }
    i++;
  }
  push(sql.length);
  return statements;
}

/** The statement containing a character offset (or the nearest one after it). */
export function statementAt(
  statements: readonly Statement[],
  offset: number,
): Statement | undefined {
  return statements.find((statement) => offset < statement.end) ?? statements.at(-1);
}

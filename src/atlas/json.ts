import { z } from "zod";

/**
 * Splits Atlas's `--format '{{ json . }}'` output into its JSON documents (one per target; it is
 * a stream, not an array). Text outside documents (banners) is ignored.
 */
export function parseJsonStream(text: string): unknown[] {
  const documents: unknown[] = [];
  let from = 0;
  while (from < text.length) {
    const start = text.slice(from).search(/[[{]/);
    if (start < 0) break;
    const begin = from + start;
    const end = closingIndex(text, begin);
    if (end >= 0) {
      try {
        documents.push(JSON.parse(text.slice(begin, end + 1)));
        from = end + 1;
        continue;
      } catch {}
    }
    from = begin + 1; // not a document (a banner's brace): look further
  }
  return documents;
}

/** Index of the bracket closing the one at `begin` (strings respected), or -1. */
function closingIndex(text: string, begin: number): number {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = begin; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === "\\") escaped = true;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === "{" || ch === "[") depth++;
    else if (ch === "}" || ch === "]") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

const revisionFile = z.looseObject({
  Name: z.string(),
  Version: z.string(),
  Description: z.string().optional().default(""),
});

/** `migrate status` JSON (Atlas field names). */
export const statusSchema = z.looseObject({
  Available: z.array(revisionFile).nullish(),
  Pending: z.array(revisionFile).nullish(),
  Applied: z
    .array(
      z.looseObject({
        Version: z.string(),
        Description: z.string().optional().default(""),
        Type: z.string().optional().default(""), // "baseline", "applied", "manually set", …
        Applied: z.number().optional().default(0), // statements applied
        Total: z.number().optional().default(0), // statements in the file
        ExecutedAt: z.string().optional(),
        ExecutionTime: z.number().optional(), // nanoseconds
        Error: z.string().optional(),
        ErrorStmt: z.string().optional(),
        OperatorVersion: z.string().optional(),
      }),
    )
    .nullish(),
  Current: z.string().optional(), // version, or "No migration applied yet"
  Next: z.string().optional(), // version, or "Already at latest version"
  Status: z.string().optional(), // "OK" | "PENDING"
  Error: z.string().optional(),
});
export type RawStatus = z.infer<typeof statusSchema>;

/** `migrate apply` JSON (Atlas field names). */
export const applySchema = z.looseObject({
  Pending: z.array(revisionFile).nullish(),
  Applied: z
    .array(
      revisionFile.extend({
        Start: z.string().optional(),
        End: z.string().optional(),
        Skipped: z.number().optional(), // statements skipped (resumed partial file)
        Applied: z.array(z.string()).nullish(), // statements attempted
        Error: z.looseObject({ Stmt: z.string(), Text: z.string() }).nullish(),
      }),
    )
    .nullish(),
  Current: z.string().optional(),
  Target: z.string().optional(),
  Start: z.string().optional(),
  End: z.string().optional(),
  Error: z.string().optional(),
  Message: z.string().optional(),
});
export type RawApply = z.infer<typeof applySchema>;

/** `migrate lint` JSON (Atlas field names). */
export const lintSchema = z.looseObject({
  Files: z
    .array(
      z.looseObject({
        Name: z.string(),
        Text: z.string().optional().default(""),
        Reports: z
          .array(
            z.looseObject({
              Text: z.string(),
              Diagnostics: z
                .array(
                  z.looseObject({
                    Pos: z.number(), // byte offset into the file
                    Text: z.string(),
                    Code: z.string().optional().default(""),
                  }),
                )
                .nullish(),
            }),
          )
          .nullish(),
        Error: z.string().optional(),
      }),
    )
    .nullish(),
});
export type RawLint = z.infer<typeof lintSchema>;

/**
 * The migration plan: what `check` computes during preview (read-only on the target) and puts
 * into the Migration resource's inputs under `plan`. It is shown in the preview, stored in
 * state, and it is what the policy pack validates. Plain JSON only: no `undefined`, no class
 * instances (Pulumi serializes it).
 */

/** Type token of the Migration dynamic resource (policies select resources by it). */
export const MIGRATION_RESOURCE_TYPE = "pulumi-nodejs:dynamic/atlas-rollout:Migration";

/** Atlas lint analyzers, by the name of their `lint {}` block. */
export type Analyzer =
  | "destructive"
  | "data_depend"
  | "incompatible"
  | "condrop"
  | "concurrent_index"
  | "other";

/** A reviewer's approval of specific findings in one exact version of one file. */
export interface Waiver {
  /** Migration file name, e.g. `20240102000000_drop_legacy.sql`. */
  readonly file: string;
  /** SHA-256 (hex) of the file's bytes: an edited file no longer matches. */
  readonly sha256: string;
  /** Atlas codes waived (e.g. `["DS103"]`); empty or absent means every finding in the file. */
  readonly codes?: readonly string[] | undefined;
  /** Why this is safe (shown in the preview). */
  readonly reason: string;
  /** Who approved it (shown in the preview). */
  readonly approvedBy: string;
}

/** One Atlas lint diagnostic, located in its file. */
export interface LintFinding {
  readonly file: string;
  /** 1-based line of the statement in the file. */
  readonly line: number;
  /** Atlas code, e.g. `DS103`. */
  readonly code: string;
  readonly analyzer: Analyzer;
  readonly message: string;
  /** The statement the diagnostic points at (trimmed, first 500 characters). */
  readonly statement: string;
  /** Present when a waiver in the stack configuration covers this finding. */
  readonly waivedBy?: { readonly reason: string; readonly approvedBy: string };
}

/** A migration file that the target has not applied yet. */
export interface PendingFile {
  readonly name: string;
  readonly version: string;
  readonly description: string;
  /** SHA-256 (hex) of the file's bytes. */
  readonly sha256: string;
  /** Statements in execution order (as Atlas splits them). */
  readonly statements: readonly string[];
  /** Transaction mode the file will run in (`file`, `all`, or `none` via the file header). */
  readonly txMode: "file" | "all" | "none";
  /** Statements already applied by an earlier, partly failed run (`txMode` none); 0 otherwise. */
  readonly alreadyApplied: number;
}

export interface LintReport {
  /** `ok`: lint ran on the pending files; `skipped`: nothing pending; `failed`: lint could not run. */
  readonly status: "ok" | "skipped" | "failed";
  /** Why lint was skipped or failed. */
  readonly reason?: string;
  readonly findings: readonly LintFinding[];
}

export interface IntegrityReport {
  /** `valid`: atlas.sum matches the directory. */
  readonly status: "valid" | "mismatch" | "missing" | "invalid";
  readonly message?: string;
}

export interface DriftReport {
  /** `none`: live schema equals the applied history; `drifted`: it does not. */
  readonly status: "none" | "drifted" | "skipped" | "failed";
  /** SQL that would bring the live schema back to what the history says (when drifted). */
  readonly diff?: string;
  readonly reason?: string;
}

/** A file that a previous run left partly applied (`txMode` none). */
export interface PartialFile {
  readonly version: string;
  readonly applied: number;
  readonly total: number;
  readonly error: string;
  readonly errorStatement: string;
}

export interface MigrationPlan {
  /** Version the target is at (`null`: nothing applied). */
  readonly currentVersion: string | null;
  /** Version the rollout ends at (`null`: nothing to apply). */
  readonly targetVersion: string | null;
  /** Set when the target has no revisions yet and a baseline is configured. */
  readonly baseline: { readonly version: string; readonly willBaseline: boolean } | null;
  readonly pending: readonly PendingFile[];
  /** Files older than the current version that were never applied (Atlas would skip them). */
  readonly outOfOrder: readonly string[];
  readonly partial: PartialFile | null;
  readonly integrity: IntegrityReport;
  readonly lint: LintReport;
  readonly drift: DriftReport;
  /** Desired state (Drizzle export) vs. migration history; `skipped` when not configured. */
  readonly schemaDrift: DriftReport;
}

/**
 * Writes the adoption result into a Pulumi stack file (`Pulumi.<stack>.yaml`):
 * `atlas-rollout:migrations.dir` and `.baseline`. Everything else in the file — other keys,
 * secrets, comments, order — is kept. A missing file is created with just these keys.
 * @see https://www.pulumi.com/docs/iac/concepts/config/
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { Document, isMap, parseDocument } from "yaml";
import { CONFIG_NAMESPACE, describeIssues, migrationSettings } from "../../stacks/schema.ts";

const MIGRATIONS_KEY = `${CONFIG_NAMESPACE}:migrations`;

/** What to set; `baseline: null` removes a baseline (a fresh database needs none). */
export interface MigrationsUpdate {
  readonly dir: string;
  readonly baseline: string | null;
}

/** What changed in the file. */
export interface StackFileChange {
  readonly created: boolean;
  /** The baseline that was there before (if any). */
  readonly previousBaseline: string | undefined;
  readonly text: string;
}

/** Returns the stack file's new text with the migrations settings updated (pure). */
export function updateStackText(
  text: string | undefined,
  update: MigrationsUpdate,
  fileName = "stack file",
): { text: string; previousBaseline: string | undefined } {
  const document: Document = text?.trim() ? parseDocument(text) : new Document({});
  if (document.errors.length > 0) {
    throw new Error(
      `${fileName}: not valid YAML (${document.errors[0]?.message ?? "parse error"})`,
    );
  }
  if (!isMap(document.contents)) throw new Error(`${fileName}: the top level must be a mapping`);
  const config = document.get("config");
  if (config === undefined || config === null) document.set("config", document.createNode({}));
  else if (!isMap(config)) throw new Error(`${fileName}: config must be a mapping`);
  const existing = document.getIn(["config", MIGRATIONS_KEY]);
  if (existing !== undefined && existing !== null && !isMap(existing)) {
    throw new Error(`${fileName}: config.${MIGRATIONS_KEY} must be a mapping`);
  }
  if (existing === undefined || existing === null) {
    document.setIn(["config", MIGRATIONS_KEY], document.createNode({}));
  }
  const previous = document.getIn(["config", MIGRATIONS_KEY, "baseline"]);
  document.setIn(["config", MIGRATIONS_KEY, "dir"], update.dir);
  if (update.baseline === null) document.deleteIn(["config", MIGRATIONS_KEY, "baseline"]);
  // A string node: an unquoted 20240102030405 would be read back as a number.
  else document.setIn(["config", MIGRATIONS_KEY, "baseline"], update.baseline);
  const settings = migrationSettings.safeParse(
    (document.toJS() as { config: Record<string, unknown> }).config[MIGRATIONS_KEY],
  );
  if (!settings.success) {
    throw new Error(`${fileName}: ${describeIssues("migrations", settings.error)}`);
  }
  return {
    text: document.toString(),
    previousBaseline: previous === undefined || previous === null ? undefined : String(previous),
  };
}

/** Updates (or creates) a stack file in place. */
export function writeStackFile(path: string, update: MigrationsUpdate): StackFileChange {
  const created = !existsSync(path);
  const before = created ? undefined : readFileSync(path, "utf8");
  const { text, previousBaseline } = updateStackText(before, update, path);
  writeFileSync(path, text);
  return { created, previousBaseline, text };
}

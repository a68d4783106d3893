// The production workflow's staging gate (.github/scripts/require-staging-rollout.sh) run against
// a real git repository and a FAKE `gh`: the GitHub API cannot be reached from here, so the fake
// serves canned deployment responses and applies `--jq` filters with the real jq.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { projectRoot } from "../src/toolchain/index.ts";

const gate = join(projectRoot, ".github", "scripts", "require-staging-rollout.sh");
const work = mkdtempSync(join(tmpdir(), "staging-gate-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const FAKE_GH = `#!/bin/sh
# Fake GitHub CLI: "gh api <path> --jq <filter>" answers from $FAKE_GH_DIR/<path with / ? & = as _>.
[ "$1" = api ] || { echo "fake gh: only 'api' is served" >&2; exit 2; }
file="$FAKE_GH_DIR/$(printf %s "$2" | tr '/?&=' '____').json"
[ -f "$file" ] || { echo "fake gh: HTTP 404 for $2" >&2; exit 1; }
if [ "$3" = --jq ]; then exec jq -r "$4" "$file"; else exec cat "$file"; fi
`;

const git = (cwd: string, ...args: string[]) =>
  execa("git", args, {
    cwd,
    env: {
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@example.com",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@example.com",
    },
  }).then((result) => result.stdout);

/** Commits the given files (path → text; null removes) and returns the commit's SHA. */
async function commit(repo: string, files: Record<string, string | null>): Promise<string> {
  for (const [path, text] of Object.entries(files)) {
    if (text === null) await git(repo, "rm", "-q", path);
    else {
      mkdirSync(join(repo, path, ".."), { recursive: true });
      writeFileSync(join(repo, path), text);
      await git(repo, "add", path);
    }
  }
  await git(repo, "commit", "-q", "-m", "change");
  return git(repo, "rev-parse", "HEAD");
}

let cases = 0;

/** A repository and fake API for one case; returns the gate's exit code and output. */
async function runGate(
  build: (
    repo: string,
  ) => Promise<{ deployments: { id: number; sha: string; states: string[] }[] }>,
) {
  const dir = join(work, `case-${cases++}`);
  const repo = join(dir, "repo");
  const api = join(dir, "api");
  const bin = join(dir, "bin");
  for (const folder of [repo, api, bin]) mkdirSync(folder, { recursive: true });
  await git(repo, "init", "-q", "-b", "main");
  const { deployments } = await build(repo);
  const file = (path: string) => join(api, `${path.replace(/[/?&=]/g, "_")}.json`);
  writeFileSync(
    file("repos/acme/shop/deployments?environment=staging&per_page=100"),
    JSON.stringify(deployments.map(({ id, sha }) => ({ id, sha, environment: "staging" }))),
  );
  for (const { id, states } of deployments) {
    writeFileSync(
      file(`repos/acme/shop/deployments/${id}/statuses?per_page=100`),
      JSON.stringify(states.map((state) => ({ state }))),
    );
  }
  writeFileSync(join(bin, "gh"), FAKE_GH);
  chmodSync(join(bin, "gh"), 0o755);
  return execa(gate, [], {
    cwd: repo,
    reject: false,
    all: true,
    env: {
      PATH: `${bin}:${process.env.PATH}`,
      FAKE_GH_DIR: api,
      GITHUB_REPOSITORY: "acme/shop",
      MIGRATIONS_DIR: "db/migrations",
    },
  });
}

describe("the production workflow's staging gate (fake gh)", () => {
  it("passes when an earlier, since superseded, staging rollout had the same migrations", async () => {
    let released = "";
    const result = await runGate(async (repo) => {
      released = await commit(repo, { "db/migrations/0001_init.sql": "CREATE TABLE a();\n" });
      const ahead = await commit(repo, { "db/migrations/0002_b.sql": "CREATE TABLE b();\n" });
      // main: the released migrations plus an unrelated change, not itself deployed anywhere.
      await commit(repo, { "db/migrations/0002_b.sql": null, "README.md": "hello\n" });
      return {
        deployments: [
          { id: 2, sha: ahead, states: ["success", "in_progress"] },
          { id: 1, sha: released, states: ["inactive", "success", "in_progress"] },
        ],
      };
    });
    expect(result.all).toBe(
      `Staging rolled out these migrations in deployment 1 (commit ${released}).`,
    );
    expect(result.exitCode).toBe(0);
  });

  it("fails when the staging rollout of these migrations failed", async () => {
    const result = await runGate(async (repo) => {
      const sha = await commit(repo, { "db/migrations/0001_init.sql": "CREATE TABLE a();\n" });
      return { deployments: [{ id: 7, sha, states: ["failure", "in_progress"] }] };
    });
    expect(result.all).toBe(
      "::error::No successful staging rollout has db/migrations as in this commit. Merge these migrations into develop and let the staging rollout pass first.",
    );
    expect(result.exitCode).toBe(1);
  });

  it("fails when main carries a migration staging never saw (a hotfix straight to main)", async () => {
    const result = await runGate(async (repo) => {
      const sha = await commit(repo, { "db/migrations/0001_init.sql": "CREATE TABLE a();\n" });
      await commit(repo, { "db/migrations/0002_hotfix.sql": "ALTER TABLE a ADD c int;\n" });
      return { deployments: [{ id: 3, sha, states: ["success"] }] };
    });
    expect(result.exitCode).toBe(1);
  });

  it("fails when a migration file was edited after it reached staging", async () => {
    const result = await runGate(async (repo) => {
      const sha = await commit(repo, { "db/migrations/0001_init.sql": "CREATE TABLE a();\n" });
      await commit(repo, { "db/migrations/0001_init.sql": "CREATE TABLE a(id int);\n" });
      return { deployments: [{ id: 4, sha, states: ["success"] }] };
    });
    expect(result.exitCode).toBe(1);
  });

  it("fails when staging was never rolled out", async () => {
    const result = await runGate(async (repo) => {
      await commit(repo, { "db/migrations/0001_init.sql": "CREATE TABLE a();\n" });
      return { deployments: [] };
    });
    expect(result.exitCode).toBe(1);
  });
});

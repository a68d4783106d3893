import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureTool, projectRoot } from "../src/toolchain/index.ts";
import { loadStackSettings } from "../stacks/settings.ts";
import { committedStackConfig } from "./helpers/stack-files.ts";

const workflowDir = join(projectRoot, ".github", "workflows");
const workflows = readdirSync(workflowDir)
  .filter((file) => file.endsWith(".yml"))
  .sort();
const actionFiles = [
  ...workflows.map((file) => join(workflowDir, file)),
  join(projectRoot, ".github", "actions", "setup", "action.yml"),
];

let actionlint = "";

beforeAll(async () => {
  // Built from the Go module proxy on first use (toolchain/actionlint), then cached per user.
  actionlint = (await ensureTool("actionlint", (line) => console.error(line))).path;
});

describe("GitHub workflows", () => {
  it("has the preview, staging and production workflows", () => {
    expect(workflows).toEqual(["preview.yml", "production.yml", "staging.yml"]);
  });

  it("pass actionlint without a finding", async () => {
    // shellcheck and pyflakes integration off: the result must not depend on what else is
    // installed on the machine.
    const result = await execa(
      actionlint,
      [
        "-no-color",
        "-shellcheck=",
        "-pyflakes=",
        ...workflows.map((file) => `.github/workflows/${file}`),
      ],
      { cwd: projectRoot, reject: false, all: true },
    );
    expect(result.all).toBe("");
    expect(result.exitCode).toBe(0);
  });

  it("pin every action to a full commit SHA with its version in a comment", () => {
    for (const file of actionFiles) {
      const uses = [...readFileSync(file, "utf8").matchAll(/^\s*(?:-\s+)?uses:\s*(.+)$/gm)].map(
        (match) => match[1]?.trim() ?? "",
      );
      for (const reference of uses.filter((value) => !value.startsWith("./"))) {
        expect(reference, `${file}`).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
      }
    }
  });

  it("gate production on the migration directory the stacks roll out", async () => {
    const production = readFileSync(join(workflowDir, "production.yml"), "utf8");
    const gated = /^\s+MIGRATIONS_DIR:\s*(\S+)$/m.exec(production)?.[1];
    const stackConfig = committedStackConfig();
    for (const stack of ["staging", "production"]) {
      expect(loadStackSettings(await stackConfig(stack)).migrations.dir).toBe(gated);
    }
  });
});

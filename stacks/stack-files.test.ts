import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureToolchain, projectRoot } from "../src/toolchain/index.ts";
import { ENVIRONMENTS, loadStackSettings } from "./settings.ts";

// The committed Pulumi.<stack>.yaml files, read by the real Pulumi CLI (so the values reach
// loadStackSettings exactly as a program sees them: structured values as JSON text).
// `pulumi stack init` adds an encryption salt to the stack file, so it runs on copies.
const work = mkdtempSync(join(tmpdir(), "stack-files-"));
let env: Record<string, string> = {};

beforeAll(async () => {
  const toolchain = await ensureToolchain();
  env = {
    ...toolchain.env,
    PULUMI_BACKEND_URL: `file://${join(work, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: "",
    PULUMI_HOME: join(work, "home"),
  };
  mkdirSync(join(work, "state"));
  copyFileSync(join(projectRoot, "Pulumi.yaml"), join(work, "Pulumi.yaml"));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

const initialized = new Set<string>();

async function stackConfig(stack: string): Promise<Record<string, unknown>> {
  if (!initialized.has(stack)) await initStack(stack);
  initialized.add(stack);
  const { stdout } = await execa("pulumi", ["config", "--json", "--stack", stack], {
    cwd: work,
    env,
  });
  const entries = Object.entries(JSON.parse(stdout) as Record<string, { value: unknown }>);
  return Object.fromEntries(entries.map(([key, entry]) => [key, entry.value]));
}

async function initStack(stack: string) {
  copyFileSync(join(projectRoot, `Pulumi.${stack}.yaml`), join(work, `Pulumi.${stack}.yaml`));
  await execa("pulumi", ["stack", "init", stack, "--non-interactive"], { cwd: work, env });
}

describe("the committed stack files", () => {
  it.each(ENVIRONMENTS)("Pulumi.%s.yaml is valid and names its own environment", async (stack) => {
    const settings = loadStackSettings(await stackConfig(stack));
    expect(settings.environment).toBe(stack);
    expect(settings.migrations.dir).toBe("examples/shop/migrations");
  });

  it("staging deploys from develop and production from main after review", async () => {
    const staging = loadStackSettings(await stackConfig("staging")).github;
    const production = loadStackSettings(await stackConfig("production")).github;
    expect(staging?.deploymentBranches).toEqual({
      policy: "custom",
      branches: ["develop"],
      tags: [],
    });
    expect(production?.deploymentBranches).toEqual({
      policy: "custom",
      branches: ["main"],
      tags: [],
    });
    expect(production?.reviewers.users.length).toBeGreaterThan(0);
    expect(production?.preventSelfReview).toBe(true);
  });
});

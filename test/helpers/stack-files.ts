import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll } from "vitest";
import { ensureToolchain, projectRoot } from "../../src/toolchain/index.ts";

/**
 * Reads the committed `Pulumi.<stack>.yaml` files through the real Pulumi CLI, so values arrive
 * as a program sees them (structured values as JSON text, keys with their namespace). Works on
 * copies in a temporary project: `pulumi stack init` writes an encryption salt into the file.
 */
export function committedStackConfig(): (stack: string) => Promise<Record<string, unknown>> {
  const work = mkdtempSync(join(tmpdir(), "stack-files-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const initialized = new Map<string, Promise<void>>();
  let environment: Promise<Record<string, string>> | undefined;

  const env = () => {
    environment ??= ensureToolchain().then((toolchain) => {
      mkdirSync(join(work, "state"), { recursive: true });
      copyFileSync(join(projectRoot, "Pulumi.yaml"), join(work, "Pulumi.yaml"));
      return {
        ...toolchain.env,
        PULUMI_BACKEND_URL: `file://${join(work, "state")}`,
        PULUMI_CONFIG_PASSPHRASE: "",
        PULUMI_HOME: join(work, "home"),
      };
    });
    return environment;
  };

  const init = async (stack: string) => {
    copyFileSync(join(projectRoot, `Pulumi.${stack}.yaml`), join(work, `Pulumi.${stack}.yaml`));
    await execa("pulumi", ["stack", "init", stack, "--non-interactive"], {
      cwd: work,
      env: await env(),
    });
  };

  return async (stack) => {
    if (!initialized.has(stack)) initialized.set(stack, init(stack));
    await initialized.get(stack);
    const { stdout } = await execa("pulumi", ["config", "--json", "--stack", stack], {
      cwd: work,
      env: await env(),
    });
    const entries = Object.entries(JSON.parse(stdout) as Record<string, { value: unknown }>);
    return Object.fromEntries(entries.map(([key, entry]) => [key, entry.value]));
  };
}

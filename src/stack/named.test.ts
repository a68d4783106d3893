import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../toolchain/index.ts";
import { packLauncher } from "./named.ts";

describe("packLauncher", () => {
  it("runs a pack folder through its executable launcher", () => {
    expect(packLauncher("policies")).toBe(join(projectRoot, "policies/analyzer.js"));
    expect(packLauncher("policies/analyzer.js")).toBe(join(projectRoot, "policies/analyzer.js"));
  });

  it("names a pack that does not exist", () => {
    expect(() => packLauncher("nope")).toThrow("--policy-pack nope: no such file or folder.");
    expect(() => packLauncher("src")).toThrow(
      "--policy-pack src: the folder has no analyzer.js launcher",
    );
  });
});

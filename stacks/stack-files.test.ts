import { describe, expect, it } from "vitest";
import { committedStackConfig } from "../test/helpers/stack-files.ts";
import { ENVIRONMENTS, loadStackSettings } from "./settings.ts";

const stackConfig = committedStackConfig();

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

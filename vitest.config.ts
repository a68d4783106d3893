import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["{src,infra,stacks,policies,test,examples}/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    reporters: ["default", "./test/summary-reporter.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // End-to-end tests start Pulumi engines and Atlas processes; two cores are the budget.
    maxWorkers: 2,
  },
});

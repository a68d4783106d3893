import { describe, expect, it } from "vitest";
import { migrationsDirOf, readPlan } from "./migration-plan.ts";
import { fixturePlan, UNKNOWN } from "./testing.ts";
import { unknownCheckingProxy } from "./unknown-values.ts";

describe("readPlan", () => {
  it("returns the plan the Migration resource put into its inputs", () => {
    const plan = fixturePlan();
    const reading = readPlan(unknownCheckingProxy({ plan }));
    expect(reading).toEqual({
      status: "known",
      plan: {
        currentVersion: plan.currentVersion,
        pending: [{ name: "20240102000000_drop_email.sql", sha256: plan.pending[0]?.sha256 }],
        outOfOrder: [],
        integrity: { status: "valid" },
        lint: { status: "ok", findings: [] },
        drift: { status: "none" },
        schemaDrift: { status: "skipped" },
      },
    });
  });

  it("tells a missing plan from an unknown one", () => {
    expect(readPlan(unknownCheckingProxy({}))).toEqual({ status: "missing" });
    expect(readPlan(unknownCheckingProxy({ plan: null }))).toEqual({ status: "missing" });
    expect(readPlan(unknownCheckingProxy({ plan: UNKNOWN }))).toEqual({
      status: "unknown",
      path: "plan",
    });
  });

  it("finds an unknown deep inside the plan", () => {
    const plan = fixturePlan();
    const props = { plan: { ...plan, lint: { ...plan.lint, findings: [UNKNOWN] } } };
    expect(readPlan(unknownCheckingProxy(props))).toEqual({
      status: "unknown",
      path: "plan.lint.findings.0",
    });
  });
});

describe("migrationsDirOf", () => {
  it("names the directory when it is known", () => {
    expect(migrationsDirOf(unknownCheckingProxy({ migrationsDir: "db/migrations" }))).toBe(
      "db/migrations",
    );
    expect(migrationsDirOf(unknownCheckingProxy({ migrationsDir: UNKNOWN }))).toBe(
      "the migration directory",
    );
  });
});

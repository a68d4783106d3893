import { describe, expect, it } from "vitest";
import { updateStackText } from "./stack-file.ts";

const EXISTING = `# The production stack.
config:
  atlas-rollout:databaseUrl:
    secure: v1:abcdef
  atlas-rollout:migrations:
    dir: old/migrations # converted by hand
    txMode: file
  atlas-rollout:database:
    schemas: [public]
encryptionsalt: v1:salt
`;

describe("updateStackText", () => {
  it("sets dir and a quoted baseline and keeps every other key, comment and secret", () => {
    const { text, previousBaseline } = updateStackText(EXISTING, {
      dir: "migrations",
      baseline: "20261126011807",
    });
    expect(previousBaseline).toBeUndefined();
    expect(text).toBe(`# The production stack.
config:
  atlas-rollout:databaseUrl:
    secure: v1:abcdef
  atlas-rollout:migrations:
    dir: migrations # converted by hand
    txMode: file
    baseline: "20261126011807"
  atlas-rollout:database:
    schemas: [ public ]
encryptionsalt: v1:salt
`);
  });

  it("creates a file with just the migrations keys", () => {
    expect(
      updateStackText(undefined, { dir: "migrations", baseline: "20240102030405" }).text,
    ).toBe(`config:
  atlas-rollout:migrations:
    dir: migrations
    baseline: "20240102030405"
`);
  });

  it("removes a baseline for a fresh database and reports the one it removed", () => {
    const withBaseline = updateStackText(EXISTING, { dir: "m", baseline: "20240102030405" }).text;
    const result = updateStackText(withBaseline, { dir: "m", baseline: null });
    expect(result.previousBaseline).toBe("20240102030405");
    expect(result.text).not.toContain("baseline");
  });

  it("refuses a file whose migrations key is not a mapping", () => {
    expect(() =>
      updateStackText(
        "config:\n  atlas-rollout:migrations: 3\n",
        { dir: "m", baseline: null },
        "Pulumi.prod.yaml",
      ),
    ).toThrow("Pulumi.prod.yaml: config.atlas-rollout:migrations must be a mapping");
  });
});

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** A CLI the product drives, built from a pinned wrapper module in `toolchain/<name>/`. */
export interface ToolSpec {
  /** Executable name, also the recipe folder under `toolchain/`. */
  readonly name: "atlas" | "pulumi" | "actionlint";
  /** Go package path of the command to build. */
  readonly goPackage: string;
  /** Module whose required version is the tool's version (read from the recipe's go.mod). */
  readonly versionModule: string;
  /** Linker variable that receives the version, so `<tool> version` reports it. */
  readonly versionVariable: string;
  /** Arguments that print the version. */
  readonly versionArgs: readonly string[];
}

/** Folder holding the wrapper modules (`go.mod`, `go.sum`, `tools.go`) that pin each CLI. */
export const recipeRoot = fileURLToPath(new URL("../../toolchain/", import.meta.url));

export const TOOLS: Readonly<Record<ToolSpec["name"], ToolSpec>> = {
  atlas: {
    name: "atlas",
    goPackage: "ariga.io/atlas/cmd/atlas",
    versionModule: "ariga.io/atlas/cmd/atlas",
    versionVariable: "ariga.io/atlas/cmd/atlas/internal/cmdapi.version",
    versionArgs: ["version"],
  },
  pulumi: {
    name: "pulumi",
    goPackage: "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
    versionModule: "github.com/pulumi/pulumi/pkg/v3",
    versionVariable: "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version",
    versionArgs: ["version"],
  },
  // Lints .github/workflows in `npm test`; not used at run time.
  actionlint: {
    name: "actionlint",
    goPackage: "github.com/rhysd/actionlint/cmd/actionlint",
    versionModule: "github.com/rhysd/actionlint",
    versionVariable: "github.com/rhysd/actionlint.version",
    versionArgs: ["-version"],
  },
};

/** Reads the pinned version of a tool from its recipe's go.mod (the one place versions live). */
export function pinnedVersion(tool: ToolSpec): string {
  const goMod = readFileSync(`${recipeRoot}${tool.name}/go.mod`, "utf8");
  const escaped = tool.versionModule.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  const match = new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, "m").exec(goMod);
  if (!match?.[1]) {
    throw new Error(`toolchain/${tool.name}/go.mod: no require line for ${tool.versionModule}`);
  }
  return match[1];
}

/** Extracts a `vX.Y.Z` version from a CLI's version output, or undefined. */
export function parseVersionOutput(output: string): string | undefined {
  return /\bv\d+\.\d+\.\d+(?:-[\w.]+)?\b/.exec(output)?.[0];
}

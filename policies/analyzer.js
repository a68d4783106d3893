#!/usr/bin/env node
// Starts this policy pack as a binary analyzer plugin: pass this file's path as the policy pack
// (`--policy-pack policies/analyzer.js`, Automation API `policyPacks`). The Pulumi CLI runs
// a pack *directory* through the `pulumi-language-nodejs` plugin, which this project does not
// ship; an executable pack path is launched directly with the engine address as last argument.
// Needs Node >= 24 first on PATH (`ensureToolchain().env` provides it).
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

if (!process.features.typescript) {
  console.error(
    `The atlas-rollout policy pack needs Node >= 24 (TypeScript type stripping); ${process.execPath} is ${process.version}.`,
  );
  process.exit(1);
}
const packDir = dirname(fileURLToPath(import.meta.url));
// The engine may put logging flags first; the engine address is always last.
const engineAddress = process.argv.at(-1) ?? "";
// The runner loads `package.json` `main` from the program directory, and PolicyPack reads the
// pack version from `./package.json` of the working directory.
process.chdir(packDir);
process.argv = [process.argv[0] ?? "node", process.argv[1] ?? "", engineAddress, "."];
createRequire(import.meta.url)("@pulumi/pulumi/cmd/run-policy-pack");

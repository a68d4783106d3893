/** `npm run toolchain`: resolves (and on first use builds) the pinned CLIs, then prints them. */
import { ensureToolchain } from "../toolchain/index.ts";

const started = Date.now();
const toolchain = await ensureToolchain((line) => console.error(line));
for (const tool of [toolchain.atlas, toolchain.pulumi]) {
  console.log(
    `${tool.name.padEnd(7)} ${tool.version.padEnd(9)} ${tool.source.padEnd(6)} ${tool.path}`,
  );
}
console.log(`toolchain ready in ${((Date.now() - started) / 1000).toFixed(1)}s`);

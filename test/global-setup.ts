import { ensureToolchain } from "../src/toolchain/index.ts";

/** Resolves (or builds) the pinned CLIs once before any test runs. */
export default async function setup(): Promise<void> {
  await ensureToolchain((line) => console.error(line));
}

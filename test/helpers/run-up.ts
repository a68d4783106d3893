/**
 * Runs `up` of a test stack in its own process (so a test can kill it mid-apply).
 * Reads the stack options as JSON from the TEST_STACK_OPTIONS environment variable.
 */
import { testStack } from "./stack.ts";

const options = JSON.parse(process.env.TEST_STACK_OPTIONS ?? "{}");
const stack = await testStack(options);
console.log("up: starting");
await stack.up();
console.log("up: done");

import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import type { Stack } from "@pulumi/pulumi/automation/index.js";

/** Whether a process runs; a zombie (killed, not yet reaped by its parent) does not. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true; // no /proc: trust kill(0)
  }
}

/**
 * Releases state locks of a file backend that were left by a run on this host whose process is
 * gone (killed or crashed). Locks of live processes and of other hosts are left alone.
 * Returns one line per released lock.
 */
export function releaseStaleLocks(stateDir: string, project: string, stackName: string): string[] {
  const dir = join(stateDir, ".pulumi", "locks", "organization", project, stackName);
  if (!existsSync(dir)) return [];
  const released: string[] = [];
  for (const name of readdirSync(dir).filter((file) => file.endsWith(".json"))) {
    try {
      const lock = JSON.parse(readFileSync(join(dir, name), "utf8")) as {
        pid?: number;
        hostname?: string;
        timestamp?: string;
      };
      if (lock.hostname === hostname() && typeof lock.pid === "number" && !alive(lock.pid)) {
        rmSync(join(dir, name));
        released.push(
          `released the state lock of an interrupted run (pid ${lock.pid}, started ${lock.timestamp ?? "?"})`,
        );
      }
    } catch {}
  }
  return released;
}

/**
 * Recovers from a run that was killed: stale locks (file backends) are released, and pending
 * operations are settled by a refresh, which reads the real revision state from the database.
 */
export async function recoverInterruptedRun(
  stack: Stack,
  notify: (line: string) => void = () => {},
  project = "atlas-rollout",
): Promise<void> {
  const backendUrl = stack.workspace.envVars.PULUMI_BACKEND_URL ?? "";
  let pending = false;
  if (backendUrl.startsWith("file://")) {
    const stateDir = backendUrl.slice("file://".length).split("?")[0] ?? "";
    for (const line of releaseStaleLocks(stateDir, project, stack.name)) notify(line);
    const checkpoint = join(stateDir, ".pulumi", "stacks", project, `${stack.name}.json`);
    pending =
      existsSync(checkpoint) && readFileSync(checkpoint, "utf8").includes('"pending_operations"');
  } else {
    const deployment = await stack.exportStack();
    pending = (deployment.deployment?.pending_operations?.length ?? 0) > 0;
  }
  if (pending) {
    notify("the last run was interrupted mid-operation; refreshing its state from the database");
    await stack.refresh({ clearPendingCreates: true });
  }
}

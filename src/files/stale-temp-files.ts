import { readdir, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { hostTagOf, tempNamePrefix } from "./atomic-write.js";

/**
 * A temporary file untouched this long is a leftover whatever its name says: a live write touches
 * its file every few seconds, and a pid may have been reused or belong to another machine sharing
 * the directory. Also the bound for names written before they carried a pid.
 */
export const staleTempAgeMs = 60 * 60 * 1000;

/** `.crossdock-<host>.<pid>.<random>.tmp`, as tempPathIn names them. */
const tempName = /^\.crossdock-([A-Za-z0-9-]*)\.(\d+)\.[0-9a-f]{16}\.tmp$/;
/** `.crossdock-<uuid>.tmp`: what earlier versions left, with no pid to check. */
const oldTempName = /^\.crossdock-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.tmp$/;

/**
 * Removes the temporary files (and unpack directories) in `dir` that crossdock processes left when
 * they died: those named for a process of this machine that no longer runs, and any untouched for
 * `staleTempAgeMs`. A live process's files are left alone. Returns the names removed.
 */
export async function removeStaleTempFiles(dir: string, now: number = Date.now()): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(tempNamePrefix) || !(await isStale(dir, name, now))) continue;
    // Best effort: a directory this user may read but not write (a shared layout) keeps them.
    const gone = await rm(path.join(dir, name), { recursive: true, force: true }).then(
      () => true,
      () => false,
    );
    if (gone) removed.push(name);
  }
  return removed;
}

/** Who holds a lock or writes a file, as `<host>.<pid>`: what isDeadOwner reads back. */
export function ownerTag(): string {
  return `${hostTagOf(os.hostname())}.${process.pid}`;
}

/** Whether `owner` (an ownerTag) names a process of this machine that no longer runs. */
export function isDeadOwner(owner: string): boolean {
  const match = /^([A-Za-z0-9-]*)\.(\d+)$/.exec(owner.trim());
  return match !== null && match[1] === hostTagOf(os.hostname()) && !isRunning(Number(match[2]));
}

async function isStale(dir: string, name: string, now: number): Promise<boolean> {
  const match = tempName.exec(name);
  if (match === null && !oldTempName.test(name)) return false;
  if (match !== null && isDeadOwner(`${match[1]}.${match[2]}`)) return true;
  const info = await stat(path.join(dir, name)).catch(() => undefined);
  return info !== undefined && now - info.mtimeMs > staleTempAgeMs;
}

/** Whether a process with this pid runs here (EPERM: it runs, as another user). */
function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

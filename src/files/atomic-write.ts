import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { chmod, mkdir, open, rename, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable, type Transform } from "node:stream";
import { pipeline } from "node:stream/promises";

/**
 * What an atomic write puts in the file: bytes or text, or a stream, optionally through transforms
 * (a digest check) that may fail the write.
 */
export type AtomicContent =
  | string
  | Uint8Array
  | readonly [Readable | AsyncIterable<Uint8Array>, ...Transform[]];

/** Options of writeFileAtomically. */
export interface AtomicWriteOptions {
  /**
   * Where the temporary file goes; default the target's directory. It must be on the target's
   * filesystem, or the rename is not atomic.
   */
  readonly tempDir?: string;
  /** The file's permission bits (kept from the file it replaces, say); default 0o666 less the umask. */
  readonly mode?: number;
  /** Create the target's directory (and its parents) when missing; needs `tempDir` elsewhere. */
  readonly createDirectory?: boolean;
  readonly signal?: AbortSignal;
}

/**
 * The name prefix of every temporary file and directory crossdock makes. A name is
 * `.crossdock-<host>.<pid>.<random>.tmp`, so a later run can tell the leftovers of a process that
 * died (kill -9, power loss) from a live one's: see removeStaleTempFiles.
 */
export const tempNamePrefix = ".crossdock-";

/** A fresh temporary name in `dir` (nothing is created), recognisable by removeStaleTempFiles. */
export function tempPathIn(dir: string): string {
  return path.join(
    dir,
    `${tempNamePrefix}${hostTagOf(os.hostname())}.${process.pid}.${randomBytes(8).toString("hex")}.tmp`,
  );
}

/**
 * Replaces `target` atomically: the content goes into a temporary file, which is flushed to disk,
 * renamed over the target, and the directory is flushed too, so after a crash readers see the old
 * file or the new one, whole. On every failure (a write error, a failing transform, an abort) the
 * temporary file is removed and the error rethrown; the target is untouched.
 */
export async function writeFileAtomically(
  target: string,
  content: AtomicContent,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const dir = path.dirname(target);
  const temp = tempPathIn(options.tempDir ?? dir);
  const file = createWriteStream(temp, {
    flags: "wx",
    ...(options.mode !== undefined ? { mode: options.mode } : {}),
  });
  const [first, ...through] =
    typeof content === "string" || content instanceof Uint8Array ? [[content]] : content;
  const source = first instanceof Readable ? first : Readable.from(first);
  try {
    await pipeline([source, ...through, file], options.signal ? { signal: options.signal } : {});
    // The umask applies to the mode given at creation; the caller asked for these exact bits.
    if (options.mode !== undefined) await chmod(temp, options.mode);
  } catch (error) {
    source.destroy();
    // The write stream opens its file asynchronously: when a stage fails early, the open may still
    // be on its way and would create the file after an rm. Wait until the stream has closed.
    if (!file.closed) await new Promise<void>((resolve) => file.once("close", () => resolve()));
    await rm(temp, { force: true });
    throw error;
  }
  // Only now: a write that fails leaves no empty directory behind either.
  await commitTempFile(temp, target, { createDirectory: options.createDirectory === true });
}

/**
 * Puts a complete temporary file (on the target's filesystem) in place of `target`: fsync, rename,
 * fsync of the directory. For files built piece by piece (a registry's upload session); on failure
 * the temporary file is removed and the error rethrown.
 */
export async function commitTempFile(
  temp: string,
  target: string,
  options: { readonly createDirectory?: boolean } = {},
): Promise<void> {
  const dir = path.dirname(target);
  try {
    await syncPath(temp, "r");
    if (options.createDirectory === true) await mkdir(dir, { recursive: true });
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dir);
}

async function syncPath(file: string, flags: string): Promise<void> {
  const handle = await open(file, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a directory's entries (the rename) to disk; some filesystems refuse, which loses nothing else. */
async function syncDirectory(dir: string): Promise<void> {
  await syncPath(dir, "r").catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "EISDIR" && error.code !== "EINVAL" && error.code !== "EPERM") throw error;
  });
}

/** A host name as temporary names carry it: letters, digits and `-` only. */
export function hostTagOf(hostname: string): string {
  return hostname.replace(/[^A-Za-z0-9-]/g, "-").slice(0, 64);
}

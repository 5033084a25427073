import { closeSync, createReadStream, mkdirSync, openSync, writeSync } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { Parser, type ReadEntry } from "tar";
import { UsageError } from "../errors.js";

/** How far an archive may expand when unpacked; past any limit the unpack stops with exit 2. */
export interface UnpackLimits {
  /** Bytes of all files together. */
  readonly maxBytes: number;
  /** Files and directories. */
  readonly maxEntries: number;
  /** Bytes unpacked per byte of the archive as stored (gzip or zstd compressed, or not). */
  readonly maxRatio: number;
}

/**
 * The limits unless a caller sets others. A layout's layers are compressed already, so a compressed
 * archive of one barely shrinks: 100 times is far above any real layout and far below a bomb (gzip
 * reaches about 1000, zstd more). 100 000 entries hold thousands of images (a manifest, a config
 * and a few layers each). 64 GiB is more than anyone carries across an air gap in one archive.
 */
export const defaultUnpackLimits: UnpackLimits = {
  maxBytes: 64 * 1024 ** 3,
  maxEntries: 100_000,
  maxRatio: 100,
};

/** The tar entry types unpacked: regular files (in their three spellings) and directories. */
const regularFiles: ReadonlySet<string> = new Set(["File", "OldFile", "ContiguousFile"]);

/**
 * Unpacks the tar archive `file` (plain, gzip or zstd) into the existing directory `work`: regular
 * files and directories only (links and devices are skipped), no path outside `work`, and within
 * `limits`, checked from each entry's header before its bytes are written, so a decompression bomb
 * stops at its first oversized entry. Every write is done when this settles (writes are synchronous,
 * chunk by chunk), so the caller can remove `work` at once. A bad archive or a limit is a UsageError
 * (`NOT_AN_ARCHIVE`, `ARCHIVE_TOO_LARGE`) naming `what`.
 */
export async function unpackArchive(
  file: string,
  work: string,
  what: string,
  limits: UnpackLimits = defaultUnpackLimits,
): Promise<void> {
  const archiveSize = (await stat(file)).size;
  const byRatio = Math.max(archiveSize, 512) * limits.maxRatio;
  const parser = new Parser({ strict: true, maxDecompressionRatio: limits.maxRatio });
  const open = new Set<number>();
  let failure: UsageError | undefined;
  let entries = 0;
  let bytes = 0;
  const stop = (error: UsageError): void => {
    failure ??= error;
    parser.abort(error);
  };
  const tooLarge = (reason: string): UsageError =>
    new UsageError(`${what}: refusing to unpack: ${reason} (a decompression bomb?)`, {
      code: "ARCHIVE_TOO_LARGE",
    });

  parser.on("entry", (entry: ReadEntry) => {
    if (failure !== undefined) return void entry.resume();
    entries++;
    if (entries > limits.maxEntries) {
      entry.resume();
      return stop(tooLarge(`it has more than ${limits.maxEntries} entries`));
    }
    bytes += entry.size;
    if (bytes > limits.maxBytes || bytes > byRatio) {
      entry.resume();
      return stop(
        tooLarge(
          bytes > limits.maxBytes
            ? `its files hold more than ${limits.maxBytes} bytes`
            : `it expands to more than ${limits.maxRatio} times its ${archiveSize} bytes`,
        ),
      );
    }
    const target = insidePath(work, entry.path);
    if (target === undefined) {
      entry.resume();
      return stop(notAnArchive(what, `entry ${JSON.stringify(entry.path)} points outside the archive`));
    }
    try {
      if (entry.type === "Directory") mkdirSync(target, { recursive: true });
      if (!regularFiles.has(entry.type)) return void entry.resume();
      mkdirSync(path.dirname(target), { recursive: true });
      const fd = openSync(target, "w");
      open.add(fd);
      entry.on("data", (chunk: Buffer) => {
        if (failure === undefined) writeSync(fd, chunk);
      });
      entry.on("end", () => {
        open.delete(fd);
        closeSync(fd);
      });
    } catch (error) {
      entry.resume();
      stop(notAnArchive(what, `cannot unpack ${JSON.stringify(entry.path)}: ${(error as Error).message}`));
    }
  });

  const input = createReadStream(file);
  try {
    await new Promise<void>((resolve, reject) => {
      input.on("error", reject);
      parser.on("error", reject);
      parser.on("end", resolve);
      input.pipe(parser);
    });
  } catch (error) {
    if (failure !== undefined) throw failure;
    const ratio = /decompression ratio/.test((error as Error).message);
    throw ratio
      ? tooLarge(`it expands to more than ${limits.maxRatio} times its ${archiveSize} bytes`)
      : notAnArchive(what, (error as Error).message);
  } finally {
    input.destroy();
    for (const fd of open) closeSync(fd);
  }
  if (failure !== undefined) throw failure;
}

function notAnArchive(what: string, reason: string): UsageError {
  return new UsageError(`${what} is not a readable tar archive: ${reason}`, { code: "NOT_AN_ARCHIVE" });
}

/** Where an entry goes under `work`, or undefined for an absolute path or one with `..`. */
function insidePath(work: string, entryPath: string): string | undefined {
  const parts = entryPath.split("/").filter((part) => part !== "" && part !== ".");
  if (entryPath.startsWith("/") || parts.includes("..")) return undefined;
  return path.join(work, ...parts);
}

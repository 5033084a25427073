import type { MappingRule } from "../reference/mapping.js";
import { ReadAhead } from "./read-ahead.js";
import { type FileScan, FileScanner } from "./scan-file.js";

/** What `scanFiles` needs besides the files. */
export interface ScanFilesOptions {
  readonly rules?: readonly MappingRule[];
  readonly signal?: AbortSignal;
  /** Files scanned between two yields to the event loop. */
  readonly batchSize: number;
  readonly maxFileBytes: number;
  /** Read the files ahead on a worker thread (see ReadAhead). */
  readonly readAhead: boolean;
}

/**
 * Scans files (paths relative to `dir`) in order and returns their scans, yielding to the event
 * loop between batches so that an abort is seen promptly; reads ahead on a worker if asked.
 */
export async function scanFiles(
  dir: string,
  files: readonly string[],
  options: ScanFilesOptions,
): Promise<FileScan[]> {
  const scanner = new FileScanner(dir, options.maxFileBytes, options.rules);
  const ahead = options.readAhead ? startReadAhead(dir, files) : undefined;
  const scans: FileScan[] = [];
  try {
    for (let index = 0; index < files.length; index++) {
      if (index % options.batchSize === 0) {
        await new Promise((resolve) => setImmediate(resolve));
        options.signal?.throwIfAborted();
      }
      const file = files[index]!;
      const bytes = ahead?.take(index);
      scans.push(bytes === undefined ? scanner.scan(file) : scanner.scanBytes(file, bytes));
      ahead?.release(index);
    }
  } finally {
    ahead?.stop();
  }
  return scans;
}

/** A read-ahead worker, or undefined if none can start (this thread then reads every file). */
function startReadAhead(dir: string, files: readonly string[]): ReadAhead | undefined {
  try {
    return new ReadAhead(dir, files);
  } catch {
    return undefined;
  }
}

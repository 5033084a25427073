import type { MappingRule } from "../reference/mapping.js";
import { type FileScan, FileScanner } from "./scan-file.js";

/** What `scanFiles` needs besides the files. */
export interface ScanFilesOptions {
  readonly rules?: readonly MappingRule[];
  readonly signal?: AbortSignal;
  /** Files scanned between two yields to the event loop. */
  readonly batchSize: number;
  readonly maxFileBytes: number;
}

/**
 * Scans files (paths relative to `dir`) in order and returns their scans, yielding to the event
 * loop between batches so that an abort is seen promptly. One thread: a read-ahead worker thread
 * was measured and dropped (it never ran in a process's first scan, which is every `crossdock
 * scan`, and saved nothing measurable on real trees; see bench/RESULTS.md).
 */
export async function scanFiles(
  dir: string,
  files: readonly string[],
  options: ScanFilesOptions,
): Promise<FileScan[]> {
  const scanner = new FileScanner(dir, options.maxFileBytes, options.rules);
  const scans: FileScan[] = [];
  for (let index = 0; index < files.length; index++) {
    if (index % options.batchSize === 0) {
      await new Promise((resolve) => setImmediate(resolve));
      options.signal?.throwIfAborted();
    }
    scans.push(scanner.scan(files[index]!));
  }
  return scans;
}

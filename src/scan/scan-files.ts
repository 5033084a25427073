import type { MappingRule } from "../reference/mapping.js";
import type { ReadAhead } from "./read-ahead.js";
import { type FileScan, FileScanner } from "./scan-file.js";

/** What `scanFiles` needs besides the files. */
export interface ScanFilesOptions {
  readonly rules?: readonly MappingRule[];
  readonly signal?: AbortSignal;
  /** Files scanned between two yields to the event loop. */
  readonly batchSize: number;
  readonly maxFileBytes: number;
  /** A read-ahead worker to read the files (see ReadAhead), waiting for them: `scanFiles` gives them. */
  readonly ahead?: ReadAhead;
}

/**
 * Scans files (paths relative to `dir`) in order and returns their scans, yielding to the event
 * loop between batches so that an abort is seen promptly; reads ahead on a worker if given one.
 */
export async function scanFiles(
  dir: string,
  files: readonly string[],
  options: ScanFilesOptions,
): Promise<FileScan[]> {
  const scanner = new FileScanner(dir, options.maxFileBytes, options.rules);
  const { ahead } = options;
  const scans: FileScan[] = [];
  ahead?.read(dir, files);
  for (let index = 0; index < files.length; index++) {
    if (index % options.batchSize === 0) {
      await new Promise((resolve) => setImmediate(resolve));
      options.signal?.throwIfAborted();
    }
    const file = files[index]!;
    const bytes = ahead?.take(index);
    scans.push(
      bytes === undefined ? scanner.scan(file) : scanner.scanBytes(file, bytes, ahead?.hints(index)),
    );
    ahead?.release(index);
  }
  return scans;
}

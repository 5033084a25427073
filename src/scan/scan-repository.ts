import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import path from "node:path";
import type { MappingRule } from "../reference/mapping.js";
import { type CategoryOverrides, categorize } from "./categorize.js";
import { detectExtractors } from "./detect.js";
import { mayHoldReference } from "./hints.js";
import { scanText } from "./scan-text.js";
import type { Occurrence, Problem, ScanResult } from "./types.js";
import { walkRepository } from "./walk.js";

/** Options of `scanRepository`. Defaults are resolved in `resolveOptions`. */
export interface ScanOptions {
  readonly rules?: readonly MappingRule[];
  /** Forced categories by image name, or by prefix for keys with a trailing '/' (from the config file). */
  readonly categoryOverrides?: CategoryOverrides;
  /** gitignore-style patterns: only matching files are scanned. */
  readonly include?: readonly string[];
  /** gitignore-style patterns of files to skip. */
  readonly exclude?: readonly string[];
  readonly signal?: AbortSignal;
  /** Files read and scanned between two yields to the event loop. */
  readonly batchSize?: number;
  /** Files larger than this many bytes are skipped. */
  readonly maxFileBytes?: number;
}

function resolveOptions(options: ScanOptions) {
  return {
    // Files read and scanned between two yields to the event loop (abort checks, timers).
    batchSize: options.batchSize ?? 64,
    // Generated bundles and data files beyond this size hold no hand-written references.
    maxFileBytes: options.maxFileBytes ?? 2 * 1024 * 1024,
  };
}

/** Dockerfiles by name, for categorization (even those with no reference found in them). */
const dockerfileName = /(?:^|\/)(?:Dockerfile|Containerfile)(?:[.-][^/]*)?$|\.(?:Dockerfile|Containerfile)$/i;

/**
 * Scans a repository: walks it (see walkRepository), reads candidate files concurrently, runs
 * the extractors each file calls for (see detectExtractors), then sorts images into categories
 * (see categorize). Files that cannot be read or parsed become problems, never failures.
 */
export async function scanRepository(dir: string, options: ScanOptions = {}): Promise<ScanResult> {
  const { batchSize, maxFileBytes } = resolveOptions(options);
  const files = await walkRepository(dir, {
    ...(options.include !== undefined ? { include: options.include } : {}),
    ...(options.exclude !== undefined ? { exclude: options.exclude } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  });
  const candidates = files.filter((file) => mayHaveExtractor(file));
  const perFile: Array<{ references: Occurrence[]; problems: Problem[] }> = [];
  for (let index = 0; index < candidates.length; index++) {
    if (index % batchSize === 0) {
      await new Promise((resolve) => setImmediate(resolve));
      options.signal?.throwIfAborted();
    }
    perFile.push(scanFile(dir, candidates[index]!, maxFileBytes, options.rules));
  }
  const references = perFile.flatMap((r) => r?.references ?? []);
  const problems = perFile.flatMap((r) => r?.problems ?? []);
  const categorized = categorize(references, {
    dockerfiles: files.filter((f) => dockerfileName.test(f)),
    ...(options.categoryOverrides !== undefined ? { overrides: options.categoryOverrides } : {}),
    ...(options.rules !== undefined ? { rules: options.rules } : {}),
  });
  return { references: categorized.references, images: categorized.images, problems };
}

/** Whether a file could have an extractor, by name alone (extension-less files may be scripts). */
function mayHaveExtractor(file: string): boolean {
  const base = file.slice(file.lastIndexOf("/") + 1);
  if (!base.includes(".") || base.startsWith(".")) return true;
  return detectExtractors(file, "#!/bin/sh\n{{").length > 0;
}

/**
 * Reads and scans one file. Reads are synchronous: on a warm cache a read takes microseconds, while
 * the four thread-pool round trips of an async open/stat/read/close cost several times more
 * (measured on 10,000 files: about 90 ms against 380 ms; see bench/RESULTS.md). The caller yields
 * to the event loop between batches, so an abort is still seen promptly.
 */
function scanFile(
  dir: string,
  file: string,
  maxFileBytes: number,
  rules: readonly MappingRule[] | undefined,
): { references: Occurrence[]; problems: Problem[] } {
  const none = { references: [], problems: [] };
  let buffer: Buffer;
  let fd: number | undefined;
  try {
    fd = openSync(path.join(dir, file), "r");
    const { size } = fstatSync(fd);
    if (size > maxFileBytes) return none;
    buffer = Buffer.allocUnsafe(size);
    let got = 0;
    while (got < size) {
      const n = readSync(fd, buffer, got, size - got, got);
      if (n === 0) break;
      got += n;
    }
    buffer = buffer.subarray(0, got);
  } catch (error) {
    return { references: [], problems: [{ file, message: `cannot read: ${(error as Error).message}` }] };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (buffer.subarray(0, 8000).includes(0)) return none;
  const text = buffer.toString("utf8");
  if (text.includes("\uFFFD") && Buffer.byteLength(text, "utf8") !== buffer.length) {
    return { references: [], problems: [{ file, message: "not valid UTF-8; skipped" }] };
  }
  const context = rules === undefined ? { file } : { file, rules };
  if (!mayHoldReference(text, context)) return none;
  return scanText(file, text, rules === undefined ? {} : { rules });
}

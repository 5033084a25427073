import { promises as fs } from "node:fs";
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
  /** Files read at once. */
  readonly concurrency?: number;
  /** Files larger than this many bytes are skipped. */
  readonly maxFileBytes?: number;
}

function resolveOptions(options: ScanOptions) {
  return {
    // Enough reads in flight to hide latency; few enough to stay clear of file-descriptor limits.
    concurrency: options.concurrency ?? 32,
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
  const { concurrency, maxFileBytes } = resolveOptions(options);
  const files = await walkRepository(dir, {
    ...(options.include !== undefined ? { include: options.include } : {}),
    ...(options.exclude !== undefined ? { exclude: options.exclude } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  });
  const candidates = files.filter((file) => mayHaveExtractor(file));
  const perFile: Array<{ references: Occurrence[]; problems: Problem[] }> = new Array(candidates.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < candidates.length) {
      options.signal?.throwIfAborted();
      const index = next++;
      const file = candidates[index]!;
      perFile[index] = await scanFile(dir, file, maxFileBytes, options.rules);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, candidates.length) }, worker));
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

async function scanFile(
  dir: string,
  file: string,
  maxFileBytes: number,
  rules: readonly MappingRule[] | undefined,
): Promise<{ references: Occurrence[]; problems: Problem[] }> {
  let buffer: Buffer;
  try {
    const handle = await fs.open(path.join(dir, file), "r");
    try {
      const { size } = await handle.stat();
      if (size > maxFileBytes) return { references: [], problems: [] };
      buffer = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (error) {
    return { references: [], problems: [{ file, message: `cannot read: ${(error as Error).message}` }] };
  }
  if (buffer.subarray(0, 8000).includes(0)) return { references: [], problems: [] };
  const text = buffer.toString("utf8");
  if (text.includes("\uFFFD") && Buffer.byteLength(text, "utf8") !== buffer.length) {
    return { references: [], problems: [{ file, message: "not valid UTF-8; skipped" }] };
  }
  const context = rules === undefined ? { file } : { file, rules };
  if (!mayHoldReference(text, context)) return { references: [], problems: [] };
  return scanText(file, text, rules === undefined ? {} : { rules });
}

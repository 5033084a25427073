import type { MappingRule } from "../reference/mapping.js";
import { type CategoryOverrides, categorize } from "./categorize.js";
import { detectExtractors } from "./detect.js";
import { settleEvidence } from "./evidence.js";
import { scanFiles } from "./scan-files.js";
import type { Problem, ScanResult, SkippedDirectory } from "./types.js";
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
  /** Files larger than this many bytes are not scanned (each is reported as a problem). */
  readonly maxFileBytes?: number;
}

function resolveOptions(options: ScanOptions) {
  return {
    // Files read and scanned between two yields to the event loop (abort checks, timers).
    batchSize: options.batchSize ?? 64,
    // No cut by default: release bundles (an install.yaml with every CRD) hold real references
    // far past 2 MiB, which an earlier default skipped in silence.
    maxFileBytes: options.maxFileBytes ?? Number.POSITIVE_INFINITY,
  };
}

/** Dockerfiles by name, for categorization (even those with no reference found in them). */
const dockerfileName = /(?:^|\/)(?:Dockerfile|Containerfile)(?:[.-][^/]*)?$|\.(?:Dockerfile|Containerfile)$/i;

/**
 * Scans a repository: walks it (see walkRepository), reads and scans candidate files (see
 * scanFiles), running the extractors each file calls for (see detectExtractors), then sorts images
 * into categories (see categorize). Files that cannot be read or parsed become problems, never
 * failures.
 */
export async function scanRepository(dir: string, options: ScanOptions = {}): Promise<ScanResult> {
  const { batchSize, maxFileBytes } = resolveOptions(options);
  const skipped: SkippedDirectory[] = [];
  const unreadable: Problem[] = [];
  const files = await walkRepository(dir, {
    ...(options.include !== undefined ? { include: options.include } : {}),
    ...(options.exclude !== undefined ? { exclude: options.exclude } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    onSkipped: (directory) => skipped.push(directory),
    onUnreadable: (file, message) => unreadable.push({ file, message, unread: true }),
  });
  const candidates = files.filter((file) => mayHaveExtractor(file));
  const scans = await scanFiles(dir, candidates, {
    batchSize,
    maxFileBytes,
    ...(options.rules !== undefined ? { rules: options.rules } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  });
  const references = settleEvidence(scans.flatMap((r) => r.references));
  const problems = [...unreadable, ...scans.flatMap((r) => r.problems)];
  const categorized = categorize(references, {
    dockerfiles: files.filter((f) => dockerfileName.test(f)),
    ...(options.categoryOverrides !== undefined ? { overrides: options.categoryOverrides } : {}),
    ...(options.rules !== undefined ? { rules: options.rules } : {}),
  });
  skipped.sort((a, b) => (a.path < b.path ? -1 : 1));
  const logins = scans.flatMap((r) => r.logins ?? []);
  return { references: categorized.references, images: categorized.images, problems, skipped, logins };
}

/** Whether a file could have an extractor, by name alone (extension-less files may be scripts). */
function mayHaveExtractor(file: string): boolean {
  const base = file.slice(file.lastIndexOf("/") + 1);
  if (!base.includes(".") || base.startsWith(".")) return true;
  return detectExtractors(file, "#!/bin/sh\n{{").length > 0;
}

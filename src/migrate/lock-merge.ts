import { readFile } from "node:fs/promises";
import path from "node:path";
import { UsageError } from "../errors.js";
import { writeFileAtomically } from "../files/atomic-write.js";
import { formatLock, type Lockfile, lockFileName, parseLock } from "./lock.js";
import { formatMergeReport } from "./merge-report.js";
import { type MergedResults, mergeSyncResults, type NamedResult } from "./merge-results.js";
import { writeReportSection } from "./report-history.js";
import { parseSyncResult } from "./sync-result.js";

/** Options of mergeResultFiles (`crossdock lock merge`). */
export interface MergeResultFilesOptions {
  /** Result files written by `crossdock sync --result-out`. */
  readonly files: readonly string[];
  /** The lock to write (and update, if it exists); default crossdock.lock in the working directory. */
  readonly lockFile?: string;
  /** The Markdown report; default crossdock-report.md beside the lock. */
  readonly reportFile?: string;
}

/**
 * `crossdock lock merge`: reads every result (all of them first: a bad one is a UsageError
 * and nothing is written), merges them into the lock (mergeSyncResults) and writes the lock and
 * the report's section for this merge (above earlier runs'), each atomically.
 */
export async function mergeResultFiles(
  options: MergeResultFilesOptions,
): Promise<MergedResults & { lockFile: string; reportFile: string }> {
  const results: NamedResult[] = [];
  for (const file of options.files)
    results.push({ file, result: parseSyncResult(await readText(file), file) });
  const lockFile = options.lockFile ?? lockFileName;
  const existing = await readFile(lockFile, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
  const previous: Lockfile | undefined = existing === undefined ? undefined : parseLock(existing, lockFile);
  const merged = mergeSyncResults(results, previous);
  const reportFile = options.reportFile ?? path.join(path.dirname(lockFile), "crossdock-report.md");
  await writeFileAtomically(lockFile, formatLock(merged.lock));
  await writeReportSection(reportFile, formatMergeReport(merged, options.files));
  return { ...merged, lockFile, reportFile };
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    throw new UsageError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? error})`, {
      cause: error,
    });
  }
}

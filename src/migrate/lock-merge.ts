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
  /** Results already read (from a registry: fetchSyncResults), merged with the files'. */
  readonly results?: readonly NamedResult[];
  /**
   * Write no lock (and read no existing one): the caller prints `lockText` (a Job's log is the only
   * place its output survives). The report is then written only when reportFile is given.
   */
  readonly print?: boolean;
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
): Promise<MergedResults & { lockFile: string; reportFile: string | undefined; lockText: string }> {
  const results: NamedResult[] = [];
  for (const file of options.files)
    results.push({ file, result: parseSyncResult(await readText(file), file) });
  results.push(...(options.results ?? []));
  const lockFile = options.lockFile ?? lockFileName;
  const existing = options.print
    ? undefined
    : await readFile(lockFile, "utf8").catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return undefined;
        throw error;
      });
  const previous: Lockfile | undefined = existing === undefined ? undefined : parseLock(existing, lockFile);
  const merged = mergeSyncResults(results, previous);
  const reportFile =
    options.reportFile ??
    (options.print ? undefined : path.join(path.dirname(lockFile), "crossdock-report.md"));
  const lockText = formatLock(merged.lock);
  if (!options.print) await writeFileAtomically(lockFile, lockText);
  if (reportFile !== undefined)
    await writeReportSection(
      reportFile,
      formatMergeReport(
        merged,
        results.map((r) => r.file),
      ),
    );
  return { ...merged, lockFile, reportFile, lockText };
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

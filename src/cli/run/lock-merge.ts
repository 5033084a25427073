import { UsageError } from "../../errors.js";
import { mergeResultFiles } from "../../migrate/lock-merge.js";
import { checkRunId, fetchSyncResults } from "../../migrate/result-artifact.js";
import type { LockMergeFlags } from "../commands/lock.js";
import { ExitCode } from "../exit-code.js";
import { writeJson, writeLine, writeText } from "../output.js";
import { createClient } from "../registry-options.js";
import { parseRepository } from "./result-push.js";

/**
 * Runs `crossdock lock merge` once its flags are parsed: result files and, with `--from-registry`,
 * the run's pushed results; `--lock -` prints the lock (the summary then goes to stderr).
 */
export async function runLockMerge(files: readonly string[], flags: LockMergeFlags): Promise<void> {
  const registry = flags.fromRegistry;
  const runText = flags.runId ?? (process.env["CROSSDOCK_RUN_ID"] || undefined);
  if (registry === undefined && flags.runId !== undefined)
    throw new UsageError("--run-id names the run to read from --from-registry: give both");
  if (registry === undefined && files.length === 0)
    throw new UsageError("lock merge: name result files, or --from-registry REPO --run-id ID");
  const repository = registry === undefined ? undefined : parseRepository("--from-registry", registry);
  if (repository && runText === undefined)
    throw new UsageError(
      "--from-registry needs --run-id ID (or CROSSDOCK_RUN_ID): the run whose results to read",
    );
  const runId =
    runText === undefined ? undefined : checkRunId(runText, flags.runId ? "--run-id" : "CROSSDOCK_RUN_ID");
  const print = flags.lock === "-";
  let fetched: Awaited<ReturnType<typeof fetchSyncResults>> = [];
  if (repository && runId !== undefined) {
    const client = createClient(flags);
    try {
      fetched = await fetchSyncResults(client, repository, runId);
    } finally {
      await client.close();
    }
  }
  const merged = await mergeResultFiles({
    files,
    results: fetched,
    ...(print ? { print } : flags.lock !== undefined ? { lockFile: flags.lock } : {}),
    ...(flags.report !== undefined ? { reportFile: flags.report } : {}),
  });
  const summary = {
    lock: print ? "-" : merged.lockFile,
    report: merged.reportFile ?? null,
    complete: merged.complete,
    images: merged.images.length,
    pending: merged.pending.length,
    failed: merged.failed.length,
    shards: merged.shards,
    missingShards: merged.missingShards,
    plans: merged.plans.length,
  };
  const line =
    `${summary.lock === "-" ? "crossdock.lock" : summary.lock}: ${summary.images} images; ${summary.pending} pending, ${summary.failed} failed` +
    (summary.missingShards.length > 0 ? `, shards missing: ${summary.missingShards.join(", ")}` : "") +
    (summary.plans > 1 ? `, ${summary.plans} different plans` : "") +
    (merged.reportFile !== undefined ? `; report in ${merged.reportFile}` : "");
  if (print) {
    writeText(merged.lockText);
    process.stderr.write(`crossdock: ${flags.json ? JSON.stringify(summary) : line}\n`);
  } else if (flags.json) writeJson(summary);
  else writeLine(line);
  // Unfinished (a shard missing, tags pending or failed): exit 1, as sync does; the lock holds what is done.
  if (!merged.complete) process.exitCode = ExitCode.failure;
}

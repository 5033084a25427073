import type { Command } from "commander";
import { ExitCode } from "../exit-code.js";
import { writeJson, writeLine } from "../output.js";

/** `crossdock lock merge RESULT...`: the shards' results (sync --result-out) into one crossdock.lock and a report. */
export function registerLockCommand(program: Command): void {
  const lock = program.command("lock").description("crossdock.lock from the results of sharded syncs");
  lock
    .command("merge")
    .description("merge sync results (--result-out) into crossdock.lock and a Markdown report")
    .argument("<result...>", "result files written by crossdock sync --result-out")
    .option("--lock <file>", "the lock to write or update (default crossdock.lock)")
    .option(
      "--report <file>",
      "where to write the Markdown report (default crossdock-report.md beside the lock)",
    )
    .option("--json", "print the merge's summary as JSON")
    .action(async (files: string[], flags: { lock?: string; report?: string; json?: boolean }) => {
      // The lock and its YAML writer load only for this command (start-up time).
      const { mergeResultFiles } = await import("../../migrate/lock-merge.js");
      const merged = await mergeResultFiles({
        files,
        ...(flags.lock !== undefined ? { lockFile: flags.lock } : {}),
        ...(flags.report !== undefined ? { reportFile: flags.report } : {}),
      });
      const summary = {
        lock: merged.lockFile,
        report: merged.reportFile,
        complete: merged.complete,
        images: merged.images.length,
        pending: merged.pending.length,
        failed: merged.failed.length,
        shards: merged.shards,
        missingShards: merged.missingShards,
        plans: merged.plans.length,
      };
      if (flags.json) writeJson(summary);
      else
        writeLine(
          `${merged.lockFile}: ${summary.images} images; ${summary.pending} pending, ${summary.failed} failed` +
            (summary.missingShards.length > 0
              ? `, shards missing: ${summary.missingShards.join(", ")}`
              : "") +
            (summary.plans > 1 ? `, ${summary.plans} different plans` : "") +
            `; report in ${merged.reportFile}`,
        );
      // Unfinished (a shard missing, tags pending or failed): exit 1, as sync does; the lock holds what is done.
      if (!merged.complete) process.exitCode = ExitCode.failure;
    });
}

import type { Command } from "commander";
import { addRegistryOptions, type RegistryFlags } from "../registry-flags.js";

/** The flags of `crossdock lock merge` (see below for their meaning). */
export interface LockMergeFlags extends RegistryFlags {
  lock?: string;
  report?: string;
  json?: boolean;
  fromRegistry?: string;
  runId?: string;
}

/** `crossdock lock merge RESULT...`: the shards' results (sync --result-out or --result-push) into one crossdock.lock and a report. */
export function registerLockCommand(program: Command): void {
  const lock = program.command("lock").description("crossdock.lock from the results of sharded syncs");
  const merge = lock
    .command("merge")
    .description(
      "merge sync results (--result-out files, --result-push artifacts) into crossdock.lock and a report",
    )
    .argument("[result...]", "result files written by crossdock sync --result-out")
    .option("--from-registry <repo>", "also read the results pushed there by sync --result-push")
    .option("--run-id <id>", "the run whose results to read from --from-registry (env CROSSDOCK_RUN_ID)")
    .option("--lock <file>", "the lock to write or update (default crossdock.lock; - prints it)")
    .option(
      "--report <file>",
      "where to write the Markdown report (default crossdock-report.md beside the lock)",
    )
    .option("--json", "print the merge's summary as JSON");
  addRegistryOptions(merge).action(async (files: string[], flags: LockMergeFlags) => {
    // The lock, its YAML writer and the registry client load only for this command (start-up time).
    const { runLockMerge } = await import("../run/lock-merge.js");
    await runLockMerge(files, flags);
  });
}

import type { Command } from "commander";
import { collectValues } from "../collect-values.js";
import { addRegistryOptions } from "../registry-flags.js";
import type { MigrateFlags } from "../run/migrate.js";

/** `crossdock migrate [DIR] --map FROM=TO`: scan, copy, verify, rewrite, verify, lock, report. */
export function registerMigrateCommand(program: Command): void {
  const command = program
    .command("migrate")
    .description(
      "the whole job: scan, copy every referenced tag, verify, rewrite, verify again, write crossdock.lock and a report",
    )
    .argument("[dir]", "repository", ".")
    .option(
      "--map <FROM=TO>",
      "a mapping rule (repeatable); crossdock.yaml's mappings apply too",
      collectValues,
    )
    .option("--config <file>", "crossdock.yaml to read")
    .option("--all-tags", "also copy every tag of the project's own images")
    .option("--dry-run", "decide with HEAD requests only; copy, rewrite and write nothing")
    .option("--jobs <n>", "images copied at once (default 4)")
    .option("--report <file>", "where to write the Markdown report (default DIR/crossdock-report.md)")
    .option("--json", "print the result as JSON")
    .option("--quiet", "no progress output");
  addRegistryOptions(command).action(async (dir: string, flags: MigrateFlags) => {
    // Loaded here, not at start-up: every other command starts faster without it.
    const { runMigrate } = await import("../run/migrate.js");
    await runMigrate(dir, flags);
  });
}

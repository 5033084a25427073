import type { Command } from "commander";
import { UsageError } from "../../errors.js";
import { collectValues } from "../collect-values.js";
import { ExitCode } from "../exit-code.js";
import { writeJson, writeLine } from "../output.js";
import { parsePositiveInteger } from "../parse-flags.js";
import { addRegistryOptions } from "../registry-flags.js";

interface MigrateFlags {
  map?: string[];
  config?: string;
  allTags?: boolean;
  dryRun?: boolean;
  json?: boolean;
  quiet?: boolean;
  jobs?: string;
  report?: string;
  insecureRegistry?: string[];
}

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
    const { migrate } = await import("../../migrate/migrate.js");
    const { loadProjectSettings } = await import("../project-settings.js");
    const { createAnonymousClient, createClient } = await import("../registry-options.js");
    const { ProgressDisplay } = await import("../progress.js");
    const settings = await loadProjectSettings(dir, flags);
    if (settings.rules.length === 0)
      throw new UsageError("no mapping: give --map FROM=TO or a crossdock.yaml with mappings");
    const jobs = flags.jobs !== undefined ? parsePositiveInteger("--jobs", flags.jobs) : undefined;
    const client = createClient(flags, settings.config);
    const anonymousClient = createAnonymousClient(flags, settings.config);
    const quiet = flags.quiet === true || flags.json === true;
    const progress = new ProgressDisplay({ quiet });
    try {
      const result = await migrate({
        dir,
        rules: flags.map ? settings.rules.slice(0, flags.map.length) : [],
        ...(settings.config ? { config: settings.config } : {}),
        client,
        anonymousClient,
        ...(flags.allTags ? { allTags: true } : {}),
        ...(flags.dryRun ? { dryRun: true } : {}),
        ...(jobs !== undefined ? { jobs } : {}),
        ...(flags.report ? { reportFile: flags.report } : {}),
        onEvent: progress.onEvent,
        onStep: (message) => {
          if (!quiet) process.stderr.write(`crossdock: ${message}\n`);
        },
      });
      progress.stop();
      if (flags.json) {
        writeJson({
          ok: result.ok,
          copies: result.copies,
          filesChanged: result.filesChanged,
          edits: result.edits,
          failures: result.failures,
          lockFile: result.lockFile,
          reportFile: result.reportFile,
          verify: result.verify,
        });
      } else {
        process.stdout.write(result.report);
        if (result.lockFile) writeLine(`wrote ${result.lockFile} and ${result.reportFile}`);
      }
      if (!result.ok) process.exitCode = ExitCode.failure;
    } finally {
      progress.stop();
      await Promise.all([client.close(), anonymousClient.close()]);
    }
  });
}

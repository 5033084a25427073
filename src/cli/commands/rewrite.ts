import type { Command } from "commander";
import { UsageError } from "../../errors.js";
import { collectValues } from "../collect-values.js";
import { ExitCode } from "../exit-code.js";
import { writeJson, writeLine } from "../output.js";

interface RewriteFlags {
  write?: boolean;
  json?: boolean;
  map?: string[];
  config?: string;
}

/** `crossdock rewrite [--write] [--map FROM=TO ...] [--config FILE] [DIR]`: a diff by default. */
export function registerRewriteCommand(program: Command): void {
  program
    .command("rewrite")
    .description(
      "change every image reference the mapping covers, and nothing else (a dry run prints a diff)",
    )
    .argument("[dir]", "repository", ".")
    .option("--write", "apply the edits (atomically, file by file)")
    .option(
      "--map <FROM=TO>",
      "a mapping rule (repeatable); crossdock.yaml's mappings apply too",
      collectValues,
    )
    .option("--config <file>", "crossdock.yaml to read")
    .option("--json", "print the plan (and outcome) as JSON")
    .action(async (dir: string, flags: RewriteFlags) => {
      // Loaded here, not at start-up: every other command starts faster without it.
      const { rewriteProject } = await import("../../migrate/rewrite-project.js");
      const { formatRewriteDiff } = await import("../../rewrite/rewrite-repository.js");
      const { loadProjectSettings } = await import("../project-settings.js");
      const { formatRewriteSummary, rewritePlanJson } = await import("../format-rewrite-report.js");
      const settings = await loadProjectSettings(dir, flags);
      if (!settings.moves)
        throw new UsageError("no mapping: give --map FROM=TO or a crossdock.yaml with mappings");
      const write = flags.write === true;
      const { prepared, outcome } = await rewriteProject({ dir, ...settings, write });
      if (flags.json)
        writeJson(outcome ? { ...rewritePlanJson(prepared), outcome } : rewritePlanJson(prepared));
      else if (!outcome) {
        process.stdout.write(formatRewriteDiff(prepared));
        for (const line of formatRewriteSummary(prepared, "would change")) writeLine(line);
        writeLine("dry run: nothing written (add --write to apply)");
      } else {
        for (const line of formatRewriteSummary(prepared, "changed")) writeLine(line);
        for (const r of outcome.refused) writeLine(`refused: ${r.reason}`);
        for (const u of outcome.unconfirmed) writeLine(`warning: the re-scan does not read back ${u}`);
      }
      if (outcome && outcome.refused.length > 0) process.exitCode = ExitCode.failure;
    });
}

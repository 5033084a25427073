import type { Command } from "commander";
import { collectValues } from "../collect-values.js";
import { ExitCode } from "../exit-code.js";
import { formatScanReport } from "../format-scan-report.js";
import { writeJson, writeLine } from "../output.js";

interface ScanFlags {
  json?: boolean;
  map: string[];
  config?: string;
}

/** `crossdock scan [--json] [--map FROM=TO ...] [--config FILE] [DIR]`: every image reference in a repository. */
export function registerScanCommand(program: Command): void {
  program
    .command("scan")
    .description("find every image reference in a repository, with its place, form and category")
    .argument("[dir]", "repository to scan", ".")
    .option(
      "--json",
      'print {"references": [...], "images": [...], "problems": [...], "skipped": [...], "logins": [...]}',
    )
    .option(
      "--map <FROM=TO>",
      "a mapping rule: say what each reference would become (repeatable)",
      collectValues,
      [],
    )
    .option("--config <file>", "crossdock.yaml to read mappings, include/exclude and categories from")
    .action(async (dir: string, flags: ScanFlags) => {
      // Loaded here, not at start-up: every other command starts faster without it.
      const { scanProject } = await import("../../migrate/scan-project.js");
      const { loadProjectSettings } = await import("../project-settings.js");
      const { scan: result } = await scanProject(dir, await loadProjectSettings(dir, flags));
      if (flags.json) writeJson(result);
      else for (const line of formatScanReport(result)) writeLine(line);
      process.exitCode = ExitCode.ok;
    });
}

import type { Command } from "commander";
import { collectValues } from "../collect-values.js";
import { ExitCode } from "../exit-code.js";
import { writeJson, writeLine } from "../output.js";

interface RollbackFlags {
  write?: boolean;
  dir: string;
  image?: string[];
  json?: boolean;
}

/** `crossdock rollback [--write] [--dir DIR] [PATH...] [--image NAME...]`: a diff by default. */
export function registerRollbackCommand(program: Command): void {
  program
    .command("rollback")
    .description(
      "restore references from crossdock.lock's journal, byte for byte, whatever crossdock.yaml maps (a dry run prints a diff)",
    )
    .argument("[paths...]", "only these files or folders (default: every rewrite recorded)")
    .option("--dir <dir>", "repository", ".")
    .option(
      "--image <name>",
      "only references to this image, source or target name (repeatable)",
      collectValues,
    )
    .option("--write", "apply (each file atomically; the lock and crossdock.yaml's phase follow)")
    .option("--json", "print the plan (and what was written) as JSON")
    .action(async (paths: string[], flags: RollbackFlags) => {
      // Loaded here, not at start-up: every other command starts faster without it.
      const { rollbackProject } = await import("../../migrate/rollback.js");
      const { formatEditsDiff } = await import("../../rewrite/rewrite-repository.js");
      const write = flags.write === true;
      const result = await rollbackProject({ dir: flags.dir, paths, images: flags.image ?? [], write });
      const { restored, refused, phase } = result;
      const wrote = write && refused.length === 0;
      if (flags.json) writeJson({ restored, refused, phase, written: wrote });
      else {
        if (!write) process.stdout.write(formatEditsDiff(result.edits, result.files));
        const verb = wrote ? "restored" : "would restore";
        writeLine(`${verb}: ${restored.length} reference(s) in ${result.edits.size} file(s)`);
        if (phase) writeLine(`phase: ${phase.from} -> ${phase.to}${wrote ? "" : " (not yet recorded)"}`);
        for (const r of refused) writeLine(`refused: ${r.reason}`);
        if (refused.length > 0)
          writeLine("nothing written: every selected file must be as crossdock left it");
        else if (!write) writeLine("dry run: nothing written (add --write to apply)");
      }
      if (refused.length > 0) process.exitCode = ExitCode.failure;
    });
}

import type { Command } from "commander";
import { writeLine } from "../output.js";

interface InitFlags {
  force?: boolean;
  scan?: boolean;
}

/** `crossdock init [DIR] [--force] [--no-scan]`: write a commented draft crossdock.yaml. */
export function registerInitCommand(program: Command): void {
  program
    .command("init")
    .description(
      "write a commented draft crossdock.yaml, from a scan and the git remote (exit 2 if one exists)",
    )
    .argument("[dir]", "repository directory", ".")
    .option("--force", "overwrite an existing crossdock.yaml")
    .option("--no-scan", "do not scan: write the skeleton only")
    .action(async (dir: string, flags: InitFlags) => {
      // Loaded here, not at start-up: every other command starts faster without it.
      const { initConfig } = await import("../../migrate/init.js");
      const result = await initConfig(dir, { force: flags.force === true, scan: flags.scan !== false });
      const target =
        result.target !== undefined
          ? `target ${result.target} (from the origin remote)`
          : result.remote === "other"
            ? "origin is not a github.com remote: set the target by hand"
            : "no origin remote: set the target by hand";
      const found = result.images === undefined ? "" : `, ${result.images.length} images found`;
      process.stderr.write(`crossdock: ${target}${found}\n`);
      writeLine(result.file);
    });
}

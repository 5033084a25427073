import type { Command } from "commander";
import { writeLine } from "../output.js";

interface InitFlags {
  force?: boolean;
  scan?: boolean;
  from?: string;
  to?: string;
}

/** `crossdock init [DIR] [--force] [--no-scan] [--from PREFIX] [--to PREFIX]`: write a commented draft crossdock.yaml. */
export function registerInitCommand(program: Command): void {
  program
    .command("init")
    .description(
      "write a commented draft crossdock.yaml, from a scan and the git remote (exit 2 if one exists)",
    )
    .argument("[dir]", "repository directory", ".")
    .option("--force", "overwrite an existing crossdock.yaml")
    .option("--no-scan", "do not scan: write the skeleton only")
    .option(
      "--from <prefix>",
      "the source prefix to move, on any registry (default: the own images' namespaces)",
    )
    .option("--to <prefix>", "the target prefix (default: ghcr.io/OWNER/REPO from the origin remote)")
    .action(async (dir: string, flags: InitFlags) => {
      // Loaded here, not at start-up: every other command starts faster without it.
      const { initConfig } = await import("../../migrate/init.js");
      const result = await initConfig(dir, {
        force: flags.force === true,
        scan: flags.scan !== false,
        ...(flags.from !== undefined ? { from: flags.from } : {}),
        ...(flags.to !== undefined ? { to: flags.to } : {}),
      });
      const target =
        result.target !== undefined
          ? `target ${result.target}${flags.to === undefined ? " (from the origin remote)" : ""}`
          : result.remote === "other"
            ? "origin is not a github.com remote: set the target by hand"
            : "no origin remote: set the target by hand";
      const found = result.images === undefined ? "" : `, ${result.images.length} images found`;
      process.stderr.write(`crossdock: ${target}${found}\n`);
      writeLine(result.file);
    });
}

import type { Command } from "commander";
import { DemoProgress } from "../demo-progress.js";
import { ExitCode } from "../exit-code.js";
import { writeLine } from "../output.js";

interface DemoFlags {
  keep?: string;
}

/**
 * `crossdock demo [--keep DIR]`: the whole migration offline, with embedded registries. Prints
 * what is happening, progress (bars on a terminal, plain step lines otherwise), the migration's
 * report, the diff summary and where everything is. Exits 0 when the demo went as designed (its
 * migration is not `ok` on purpose), 1 otherwise, 130 after Ctrl-C (everything cleaned up).
 */
export function registerDemoCommand(program: Command): void {
  program
    .command("demo")
    .description("rehearse a whole Docker Hub -> GHCR migration offline, with two embedded registries")
    .option("--keep <dir>", "keep the sample repository and the registries' storage in DIR (new or empty)")
    .action(async (flags: DemoFlags) => {
      // Loaded on use: the demo pulls in every layer, which other commands need not load.
      const demo = await import("../../demo/index.js");
      const controller = new AbortController();
      const interrupt = (): void => controller.abort();
      process.once("SIGINT", interrupt);
      process.once("SIGTERM", interrupt);
      const progress = new DemoProgress();
      writeLine(demo.demoIntro);
      writeLine();
      try {
        const outcome = await demo.runDemo({
          ...(flags.keep !== undefined ? { keep: flags.keep } : {}),
          onStep: progress.step,
          onEvent: progress.event,
          signal: controller.signal,
        });
        progress.stop();
        writeLine();
        writeLine(outcome.migration.report.trimEnd());
        writeLine();
        for (const line of demo.formatDiffSummary(outcome)) writeLine(line);
        writeLine();
        for (const line of demo.formatVerdict(outcome)) writeLine(line);
        writeLine();
        for (const line of demo.formatWhere(outcome)) writeLine(line);
        if (!outcome.verdict.ok) process.exitCode = ExitCode.failure;
      } catch (error) {
        progress.stop();
        if (!controller.signal.aborted) throw error;
        process.stderr.write(
          `crossdock demo: interrupted; the registries are stopped${flags.keep === undefined ? " and the temporary files removed" : ""}\n`,
        );
        process.exitCode = 130;
      } finally {
        process.off("SIGINT", interrupt);
        process.off("SIGTERM", interrupt);
      }
    });
}

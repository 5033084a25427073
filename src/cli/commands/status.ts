import type { Command } from "commander";
import { ExitCode } from "../exit-code.js";
import { writeJson, writeLine } from "../output.js";
import { addRegistryOptions } from "../registry-flags.js";

interface StatusFlags {
  drift?: boolean;
  json?: boolean;
  config?: string;
  insecureRegistry?: string[];
}

/** `crossdock status [--drift] [--json] [DIR]`: the phase, the next step, what blocks it; exit 1 on drift. */
export function registerStatusCommand(program: Command): void {
  const command = program
    .command("status")
    .description(
      "the phase of the migration, the next step and what blocks it; --drift also asks the registries",
    )
    .argument("[dir]", "repository", ".")
    .option(
      "--drift",
      "source tags the target lacks or holds differently, private packages, references back at the source (exit 1 on any)",
    )
    .option("--config <file>", "crossdock.yaml to read")
    .option("--json", "print the status as JSON");
  addRegistryOptions(command).action(async (dir: string, flags: StatusFlags) => {
    // Loaded here, not at start-up: every other command starts faster without it.
    const { projectStatus } = await import("../../migrate/project-status.js");
    const { loadProjectSettings } = await import("../project-settings.js");
    const { createAnonymousClient, createClient } = await import("../registry-options.js");
    const { config } = await loadProjectSettings(dir, flags);
    const clients = flags.drift
      ? { client: createClient(flags, config), anonymousClient: createAnonymousClient(flags, config) }
      : undefined;
    try {
      const status = await projectStatus({
        dir,
        ...(config ? { config } : {}),
        ...(clients ? { drift: clients } : {}),
      });
      if (flags.json) writeJson(status);
      else {
        writeLine(
          `phase: ${status.phase} (${status.recorded ? "recorded in crossdock.yaml" : "inferred: crossdock.yaml records no phase"})`,
        );
        writeLine(`next: ${status.next}`);
        for (const blocker of status.blockers) writeLine(`blocked: ${blocker}`);
        if (status.drift) writeLine(`drift: ${status.drift.length === 0 ? "none" : status.drift.length}`);
        for (const d of status.drift ?? []) writeLine(`  ${d.kind}  ${d.subject}  ${d.detail}`);
      }
      if (status.drift && status.drift.length > 0) process.exitCode = ExitCode.failure;
    } finally {
      await Promise.all([clients?.client.close(), clients?.anonymousClient.close()]);
    }
  });
}

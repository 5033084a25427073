import type { Command } from "commander";
import { collectValues } from "../collect-values.js";
import { ExitCode } from "../exit-code.js";
import { writeJson, writeLine } from "../output.js";
import { addRegistryOptions } from "../registry-flags.js";

interface DoctorFlags {
  map?: string[];
  json?: boolean;
  config?: string;
  insecureRegistry?: string[];
}

/** `crossdock doctor [--json] [DIR]`: can we pull, push, is the target public, budget left; exit 1 when something blocks. */
export function registerDoctorCommand(program: Command): void {
  const command = program
    .command("doctor")
    .description(
      "before copying: registries reachable, credentials, pull/push scopes, GHCR visibility, pull budget",
    )
    .argument("[dir]", "repository (its crossdock.yaml)", ".")
    .option("--map <from=to>", "a mapping rule (repeatable)", collectValues)
    .option("--config <file>", "crossdock.yaml to read")
    .option("--json", "print the report as JSON");
  addRegistryOptions(command).action(async (dir: string, flags: DoctorFlags) => {
    // Loaded here, not at start-up: every other command starts faster without it.
    const { runDoctor } = await import("../../migrate/doctor.js");
    const { formatDoctorReport } = await import("../format-doctor-report.js");
    const { loadProjectSettings } = await import("../project-settings.js");
    const { createAnonymousClient, createClient } = await import("../registry-options.js");
    const { rules, config } = await loadProjectSettings(dir, flags);
    const client = createClient(flags, config);
    const anonymousClient = createAnonymousClient(flags, config);
    try {
      const report = await runDoctor({ dir, rules, ...(config ? { config } : {}), client, anonymousClient });
      if (flags.json) writeJson(report);
      else for (const line of formatDoctorReport(report)) writeLine(line);
      if (report.blocking > 0) process.exitCode = ExitCode.failure;
    } finally {
      await Promise.all([client.close(), anonymousClient.close()]);
    }
  });
}

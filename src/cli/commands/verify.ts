import type { Command } from "commander";
import { UsageError } from "../../errors.js";
import { collectValues } from "../collect-values.js";
import { ExitCode } from "../exit-code.js";
import { writeJson, writeLine } from "../output.js";
import { parsePositiveInteger } from "../parse-flags.js";
import { addRegistryOptions } from "../registry-flags.js";

interface VerifyFlags {
  json?: boolean;
  map: string[];
  config?: string;
  publicCheck: boolean;
  jobs?: string;
  insecureRegistry?: string[];
}

/**
 * `crossdock verify [--json] [--map FROM=TO ...] [--config FILE] [--no-public-check] [DIR]`: every mapped
 * reference resolves on the target to the source's digest and platforms, publicly. Exit 1 when any fails.
 */
export function registerVerifyCommand(program: Command): void {
  const command = program
    .command("verify")
    .description(
      "check that every mapped reference resolves on the target, to the same digest and platforms, publicly",
    )
    .argument("[dir]", "repository to verify", ".")
    .option("--json", 'print {"items": [...], "ok": true|false, "skipped": {...}, "pushes": [...]}')
    .option("--map <FROM=TO>", "a mapping rule (repeatable); added to the config's", collectValues, [])
    .option("--config <file>", "crossdock.yaml (default: DIR/crossdock.yaml when there is one)")
    .option("--no-public-check", "do not check that the targets can be pulled without credentials")
    .option("--jobs <n>", "references checked at once (default 4)");
  addRegistryOptions(command).action(async (dir: string, flags: VerifyFlags) => {
    // Loaded here, not at start-up: every other command starts faster without it.
    const { verifyRepository } = await import("../../migrate/verify-repository.js");
    const { loadProjectSettings } = await import("../project-settings.js");
    const { createAnonymousClient, createClient } = await import("../registry-options.js");
    const { formatVerifyReport } = await import("../format-verify-report.js");
    const settings = await loadProjectSettings(dir, flags);
    if (!settings.moves) {
      throw new UsageError(
        "no mapping rules: give --map FROM=TO (such as docker.io/kubeflowkatib=ghcr.io/kubeflow/katib) or a crossdock.yaml with mappings",
      );
    }
    const client = createClient(flags, settings.config);
    const anonymousClient = createAnonymousClient(flags, settings.config);
    try {
      const result = await verifyRepository({
        dir,
        ...settings,
        client,
        anonymousClient,
        checkPublic: flags.publicCheck,
        ...(flags.jobs !== undefined ? { jobs: parsePositiveInteger("--jobs", flags.jobs) } : {}),
      });
      if (flags.json) writeJson(result);
      else for (const line of formatVerifyReport(result)) writeLine(line);
      process.exitCode = result.ok ? ExitCode.ok : ExitCode.failure;
    } finally {
      await Promise.all([client.close(), anonymousClient.close()]);
    }
  });
}

import type { Command } from "commander";
import { UsageError } from "../../errors.js";
import { writeJson, writeLine } from "../output.js";

interface CiGithubFlags {
  write?: boolean;
  json?: boolean;
  config?: string;
  action?: string;
}

/** `crossdock ci github [--write] [--json] [DIR]`: workflows that publish to both registries, and the maintain schedule. */
export function registerCiCommand(program: Command): void {
  const ci = program.command("ci").description("write the CI files a migration needs");
  ci.command("github")
    .description(
      "patch the workflows that publish images to publish to the target too, and add a scheduled sync and drift check (a dry run prints a diff)",
    )
    .argument("[dir]", "repository", ".")
    .option("--write", "apply (each file atomically)")
    .option("--config <file>", "crossdock.yaml to read")
    .option("--action <ref>", "the crossdock action the scheduled workflow uses (OWNER/crossdock@v1)")
    .option("--json", "print the plan (and what was written) as JSON")
    .action(async (dir: string, flags: CiGithubFlags) => {
      // Loaded here, not at start-up: every other command starts faster without it.
      const { applyGithubCi, formatGithubCiDiff, planGithubCi } = await import(
        "../../ci/github/github-ci.js"
      );
      const { loadProjectSettings } = await import("../project-settings.js");
      const { config } = await loadProjectSettings(dir, flags);
      if (!config || config.rules.length === 0)
        throw new UsageError(
          `${dir}: no crossdock.yaml with mappings (ci github reads them; see crossdock init)`,
        );
      const plan = await planGithubCi({
        dir,
        rules: config.rules,
        ...(flags.action ? { actionRef: flags.action } : {}),
      });
      const written = flags.write ? await applyGithubCi(plan) : [];
      if (flags.json) writeJson({ files: plan.files, notes: plan.notes, written });
      else {
        if (!flags.write) process.stdout.write(formatGithubCiDiff(plan));
        for (const f of plan.files)
          for (const change of f.changes)
            writeLine(`${flags.write ? "" : "would "}${f.created ? "create" : "patch"} ${f.file}: ${change}`);
        for (const note of plan.notes) writeLine(`note: ${note}`);
        if (plan.files.length === 0) writeLine("nothing to change");
        else if (!flags.write) writeLine("dry run: nothing written (add --write to apply)");
      }
    });
}

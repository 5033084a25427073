import type { Command } from "commander";
import { UsageError } from "../../errors.js";
import { countEditsByForm } from "../../rewrite/plan-summary.js";
import type { PreparedRewrite } from "../../rewrite/rewrite-repository.js";
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
      const { applyRewrite, formatRewriteDiff, prepareRewrite } = await import(
        "../../rewrite/rewrite-repository.js"
      );
      const { loadProjectSettings } = await import("../project-settings.js");
      const { readLock, writeLock } = await import("../../migrate/lock.js");
      const settings = await loadProjectSettings(dir, flags);
      if (settings.rules.length === 0)
        throw new UsageError("no mapping: give --map FROM=TO or a crossdock.yaml with mappings");
      const lock = await readLock(dir);
      const prepared = await prepareRewrite(dir, {
        rules: settings.rules,
        scan: settings.scan,
        ...(lock ? { journal: lock.rewrites } : {}),
      });
      if (!flags.write) {
        if (flags.json) writeJson(planJson(prepared));
        else {
          process.stdout.write(formatRewriteDiff(prepared));
          printSummary(prepared, "would change");
          writeLine("dry run: nothing written (add --write to apply)");
        }
        return;
      }
      const outcome = await applyRewrite(prepared);
      if (outcome.filesChanged.length > 0) {
        await writeLock(dir, { version: 1, images: lock?.images ?? [], rewrites: prepared.plan.journal });
      }
      if (flags.json) writeJson({ ...planJson(prepared), outcome });
      else {
        printSummary(prepared, "changed");
        for (const r of outcome.refused) writeLine(`refused: ${r.reason}`);
        for (const u of outcome.unconfirmed) writeLine(`warning: the re-scan does not read back ${u}`);
      }
      if (outcome.refused.length > 0) process.exitCode = ExitCode.failure;
    });
}

function planJson(prepared: PreparedRewrite): Record<string, unknown> {
  return {
    edits: [...prepared.plan.edits.values()].flat(),
    attention: prepared.plan.attention,
    skipped: prepared.skipped,
  };
}

function printSummary(prepared: PreparedRewrite, verb: string): void {
  const { plan } = prepared;
  const edits = [...plan.edits.values()].reduce((n, list) => n + list.length, 0);
  const byForm = [...countEditsByForm(plan)].map(([form, n]) => `${form} ${n}`).join(", ");
  writeLine(`${verb}: ${edits} reference(s) in ${plan.edits.size} file(s)${byForm ? ` (${byForm})` : ""}`);
  if (plan.attention.length > 0) {
    writeLine(`needs attention: ${plan.attention.length}`);
    for (const a of plan.attention)
      writeLine(`  ${a.file}:${a.line}  ${a.text.replace(/\s*\n\s*/g, " ")}  ${a.reason}`);
  }
  for (const s of prepared.skipped) writeLine(`skipped: ${s.reason}`);
}

import type { Command } from "commander";
import { UsageError } from "../../errors.js";
import { statusSeverity } from "../../verify/status.js";
import type { VerifyItem, VerifyResult } from "../../verify/verify.js";
import { collectValues } from "../collect-values.js";
import { ExitCode } from "../exit-code.js";
import { writeJson, writeLine } from "../output.js";
import { parsePositiveInteger } from "../parse-flags.js";
import { addRegistryOptions } from "../registry-flags.js";
import { formatTable } from "../table.js";

interface VerifyFlags {
  json?: boolean;
  map: string[];
  config?: string;
  publicCheck: boolean;
  jobs?: string;
  insecureRegistry?: string[];
}

/**
 * `crossdock verify [--json] [--map FROM=TO ...] [--config FILE] [--no-public-check] [DIR]`: every
 * reference the mapping covers, before or after the rewrite, resolves on the target to the source's
 * digest and platforms, anyone can pull it, and its signatures came along. Exit 1 when any fails.
 */
export function registerVerifyCommand(program: Command): void {
  const command = program
    .command("verify")
    .description(
      "check that every mapped reference resolves on the target, to the same digest and platforms, publicly",
    )
    .argument("[dir]", "repository to verify", ".")
    .option("--json", 'print {"items": [...], "ok": true|false, "skipped": {...}}')
    .option("--map <FROM=TO>", "a mapping rule (repeatable); added to the config's", collectValues, [])
    .option("--config <file>", "crossdock.yaml (default: DIR/crossdock.yaml when there is one)")
    .option("--no-public-check", "do not check that the targets can be pulled without credentials")
    .option("--jobs <n>", "references checked at once (default 4)");
  addRegistryOptions(command).action(async (dir: string, flags: VerifyFlags) => {
    // Loaded here, not at start-up: every other command starts faster without it.
    const { scanRepository } = await import("../../scan/scan-repository.js");
    const { verifyReferences } = await import("../../verify/verify.js");
    const { loadProjectSettings } = await import("../project-settings.js");
    const { lockRules, readLock } = await import("../../migrate/lock.js");
    const { createAnonymousClient, createClient } = await import("../registry-options.js");
    const settings = await loadProjectSettings(dir, flags);
    if (settings.rules.length === 0) {
      throw new UsageError(
        "no mapping rules: give --map FROM=TO (such as docker.io/kubeflowkatib=ghcr.io/kubeflow/katib) or a crossdock.yaml with mappings",
      );
    }
    const jobs = flags.jobs !== undefined ? parsePositiveInteger("--jobs", flags.jobs) : undefined;
    const scan = await scanRepository(dir, { ...settings.scan, rules: settings.rules });
    const lock = await readLock(dir);
    // The lock's exact source = target pairs find the source of every target it knows, mirrors included.
    const rules = [...settings.rules, ...(lock ? lockRules(lock) : [])];
    const client = createClient(flags, settings.config);
    const anonymousClient = createAnonymousClient(flags, settings.config);
    try {
      const result = await verifyReferences({
        client,
        anonymousClient,
        rules,
        references: scan.references,
        ...(lock !== undefined ? { lock } : {}),
        checkPublic: flags.publicCheck,
        ...(jobs !== undefined ? { jobs } : {}),
      });
      if (flags.json) writeJson(result);
      else printReport(result);
      process.exitCode = result.ok ? ExitCode.ok : ExitCode.failure;
    } finally {
      await Promise.all([client.close(), anonymousClient.close()]);
    }
  });
}

/** `sha256:0123456789ab`: enough of a digest to tell two apart in a table. */
function shortDigest(digest: string | undefined): string {
  if (digest === undefined) return "none";
  const colon = digest.indexOf(":");
  return digest.slice(0, colon + 13);
}

/** The digest column: whether the target's digest is the source's. */
function digestCell(item: VerifyItem): string {
  if (item.sourceDigest === undefined && item.targetDigest === undefined) return "";
  if (item.sourceDigest === item.targetDigest) return `${shortDigest(item.targetDigest)} =`;
  return `${shortDigest(item.sourceDigest)} != ${shortDigest(item.targetDigest)}`;
}

/** The table, each failing item's problems, and a summary line. */
function printReport(result: VerifyResult): void {
  const items = [...result.items].sort(
    (a, b) => statusSeverity.indexOf(a.status) - statusSeverity.indexOf(b.status),
  );
  const rows = items.map((item) => [item.status, item.target, digestCell(item), item.where.join(", ")]);
  writeLine(formatTable([["STATUS", "TARGET", "SOURCE DIGEST = TARGET DIGEST?", "WHERE"], ...rows]));
  const failing = items.filter((item) => item.status !== "ok");
  if (failing.length > 0) writeLine();
  for (const item of failing) {
    writeLine(`${item.status}: ${item.target || item.source}`);
    for (const problem of item.problems) writeLine(`  - ${problem}`);
  }
  writeLine();
  const counts = new Map<string, number>();
  for (const item of result.items) counts.set(item.status, (counts.get(item.status) ?? 0) + 1);
  const parts = statusSeverity
    .filter((status) => counts.has(status))
    .map((status) => `${counts.get(status)} ${status}`);
  const { prefix, partial } = result.skipped;
  const skipped =
    prefix + partial > 0
      ? `; not verified: ${prefix} prefix and ${partial} partial reference(s) (no complete tag to check)`
      : "";
  const verdict = result.ok ? "all good" : "FAILED";
  writeLine(
    `${verdict}: ${result.items.length} reference(s) checked${parts.length > 0 ? ` (${parts.join(", ")})` : ""}${skipped}`,
  );
}

import { syncPlan } from "../../copy/run-plan.js";
import { sync } from "../../copy/run-sync.js";
import { planSync } from "../../copy/sync-plan.js";
import { type TagPolicy, validateTagPolicy } from "../../copy/tag-filter.js";
import { UsageError } from "../../errors.js";
import { writeFileAtomically } from "../../files/atomic-write.js";
import { planSyncMappings } from "../../migrate/sync-mappings.js";
import { formatSyncResult, resultOfSync } from "../../migrate/sync-result.js";
import { ExitCode } from "../exit-code.js";
import { formatSyncReport } from "../format-sync-report.js";
import { runInterruptible } from "../interrupt.js";
import { writeJson, writeLine } from "../output.js";
import { parseCount, parseDuration, parsePositiveInteger } from "../parse-flags.js";
import { ProgressDisplay } from "../progress.js";
import { createClient } from "../registry-options.js";
import { resolveShard } from "../shard-option.js";
import { pushResult, resultPushTarget } from "./result-push.js";
import { checkOutputFile, loadConfigIfAny, readPlan, writePlan } from "./sync-plan-files.js";

/** The flags of `crossdock sync` (see commands/sync.ts for their meaning). */
export interface SyncFlags {
  from?: string;
  to?: string;
  config?: string;
  repos?: string;
  tags?: string;
  excludeTags?: string;
  semver?: string;
  latest?: string;
  jobs?: string;
  blobJobs?: string;
  dryRun?: boolean;
  json?: boolean;
  quiet?: boolean;
  platform?: string[];
  referrers: boolean;
  reserve?: string;
  maxWait?: string;
  /** `oci`: store Docker manifests with OCI media types in layouts (the digest changes). */
  format?: "oci";
  insecureRegistry?: string[];
  planOut?: string;
  plan?: string;
  shard?: string;
  resultOut?: string;
  resultPush?: string;
  runId?: string;
}

/** Runs `crossdock sync` once its flags are parsed: every bad flag fails here (exit 2), before any request. */
export async function runSync(flags: SyncFlags): Promise<void> {
  const policy: TagPolicy = {
    ...(flags.tags !== undefined ? { include: flags.tags } : {}),
    ...(flags.excludeTags !== undefined ? { exclude: flags.excludeTags } : {}),
    ...(flags.semver !== undefined ? { semver: flags.semver } : {}),
    ...(flags.latest !== undefined ? { latest: parsePositiveInteger("--latest", flags.latest) } : {}),
  };
  validateTagPolicy(policy);
  if (flags.planOut !== undefined && flags.shard !== undefined)
    throw new UsageError(
      "--plan-out writes the whole plan; give --shard when running it (--plan FILE --shard I/N)",
    );
  const shard = flags.planOut !== undefined ? undefined : resolveShard(flags.shard, process.env);
  await checkOutputFile("--plan-out", flags.planOut);
  await checkOutputFile("--result-out", flags.resultOut);
  const push = resultPushTarget(flags, process.env);
  const given = flags.plan !== undefined ? await readPlan(flags) : undefined;
  const repos = flags.repos?.split(",").filter((r) => r.trim() !== "");
  const { mappings, config } = given
    ? { mappings: [], config: await loadConfigIfAny(flags.config) }
    : await planSyncMappings({
        ...(flags.from !== undefined ? { from: flags.from } : {}),
        ...(flags.to !== undefined ? { to: flags.to } : {}),
        ...(flags.config !== undefined ? { configFile: flags.config } : {}),
        ...(repos ? { repos } : {}),
        policy,
      });
  const client = createClient(flags, config);
  const progress = new ProgressDisplay({ quiet: flags.quiet === true || flags.json === true });
  // CROSSDOCK_DOCKER_HUB_API points the Docker Hub listing elsewhere (a Hub-compatible API; the tests).
  const hubApi = process.env["CROSSDOCK_DOCKER_HUB_API"];
  try {
    const options = {
      client,
      ...(flags.jobs !== undefined ? { jobs: parsePositiveInteger("--jobs", flags.jobs) } : {}),
      ...(flags.blobJobs !== undefined
        ? { blobJobs: parsePositiveInteger("--blob-jobs", flags.blobJobs) }
        : {}),
      ...(flags.reserve !== undefined ? { reserve: parseCount("--reserve", flags.reserve) } : {}),
      ...(flags.maxWait !== undefined ? { maxWaitMs: parseDuration("--max-wait", flags.maxWait) } : {}),
      ...(flags.dryRun ? { dryRun: true } : {}),
      referrers: flags.referrers,
      ...(flags.platform ? { platforms: flags.platform } : {}),
      ...(flags.format ? { format: flags.format } : {}),
      ...(hubApi ? { dockerHubApi: hubApi } : {}),
      onEvent: progress.onEvent,
    };
    const report = await runInterruptible(async (signal) => {
      // A plan is needed to write one, or for a shard to compute its share (listed here when not given).
      const plan =
        given ??
        (flags.planOut !== undefined || shard ? await planSync({ ...options, mappings, signal }) : undefined);
      if (flags.planOut !== undefined && plan) return await writePlan(flags.planOut, plan, client);
      return plan
        ? await syncPlan({ ...options, plan, ...(shard ? { shard } : {}), signal })
        : await sync({ ...options, mappings, signal });
    });
    if (!("entries" in report)) {
      if (flags.json) writeJson(report);
      else writeLine(`${report.file}: ${report.repositories} repositories, ${report.tags} tags`);
      return;
    }
    progress.stop();
    const interrupted = process.exitCode === ExitCode.interrupted;
    const result = resultOfSync(report, {
      ...(shard ? { shard } : {}),
      ...("plan" in report && typeof report.plan === "string" ? { plan: report.plan } : {}),
      interrupted,
    });
    // Written after the run, also after Ctrl-C (exit 130), in one atomic rename: whole or absent.
    if (flags.resultOut !== undefined) await writeFileAtomically(flags.resultOut, formatSyncResult(result));
    if (push) await pushResult(client, push, result, flags.quiet === true || flags.json === true);
    if (flags.json) writeJson(report);
    else
      for (const line of formatSyncReport(report, { dryRun: flags.dryRun === true, interrupted }))
        writeLine(line);
    // Pending tags (the budget ran out under --max-wait, or Ctrl-C) are unfinished work: rerun to continue.
    const { failed, pending } = report.summary.counts;
    if (!interrupted && (failed > 0 || pending > 0)) process.exitCode = ExitCode.failure;
  } finally {
    progress.stop();
    await client.close();
  }
}

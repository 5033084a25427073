import { sync } from "../../copy/run-sync.js";
import { type TagPolicy, validateTagPolicy } from "../../copy/tag-filter.js";
import { planSyncMappings } from "../../migrate/sync-mappings.js";
import { ExitCode } from "../exit-code.js";
import { formatSyncReport } from "../format-sync-report.js";
import { runInterruptible } from "../interrupt.js";
import { writeJson, writeLine } from "../output.js";
import { parseCount, parseDuration, parsePositiveInteger } from "../parse-flags.js";
import { ProgressDisplay } from "../progress.js";
import { createClient } from "../registry-options.js";

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
  const repos = flags.repos?.split(",").filter((r) => r.trim() !== "");
  const { mappings, config } = await planSyncMappings({
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
    const report = await runInterruptible((signal) =>
      sync({
        client,
        mappings,
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
        signal,
      }),
    );
    progress.stop();
    const interrupted = process.exitCode === ExitCode.interrupted;
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

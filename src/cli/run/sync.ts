import { PullBudget } from "../../copy/pull-budget.js";
import { CopySession } from "../../copy/session.js";
import { type RequestCounts, type SyncSummary, summarize } from "../../copy/summary.js";
import { type SyncEntry, type SyncPair, syncRepositories } from "../../copy/sync.js";
import { parseSyncEndpoint, resolveSyncPairs, type SyncPairsOptions } from "../../copy/sync-pairs.js";
import { type TagPolicy, validateTagPolicy } from "../../copy/tag-filter.js";
import { UsageError } from "../../errors.js";
import type { CrossdockConfig } from "../../migrate/config-types.js";
import { withTag } from "../../reference/reference.js";
import { noteDockerMediaTypes } from "../../store/layout-readers.js";
import { RegistryRepository } from "../../store/registry-repository.js";
import { ExitCode } from "../exit-code.js";
import { formatBytes } from "../format-bytes.js";
import { writeJson, writeLine } from "../output.js";
import { parseCount, parseDuration, parsePositiveInteger } from "../parse-flags.js";
import { ProgressDisplay } from "../progress.js";
import { createClient } from "../registry-options.js";
import { formatTable } from "../table.js";

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
  format?: "oci";
  reserve?: string;
  maxWait?: string;
  insecureRegistry?: string[];
}

/** Runs `crossdock sync` once its flags are parsed. */
export async function runSync(flags: SyncFlags): Promise<void> {
  const flagPolicy: TagPolicy = {
    ...(flags.tags !== undefined ? { include: flags.tags } : {}),
    ...(flags.excludeTags !== undefined ? { exclude: flags.excludeTags } : {}),
    ...(flags.semver !== undefined ? { semver: flags.semver } : {}),
    ...(flags.latest !== undefined ? { latest: parsePositiveInteger("--latest", flags.latest) } : {}),
  };
  // Bad input fails here, before any registry is asked anything (exit 2).
  validateTagPolicy(flagPolicy);
  const repos = flags.repos?.split(",").filter((r) => r.trim() !== "");
  const jobs = flags.jobs !== undefined ? parsePositiveInteger("--jobs", flags.jobs) : undefined;
  const blobJobs =
    flags.blobJobs !== undefined ? parsePositiveInteger("--blob-jobs", flags.blobJobs) : undefined;
  const reserve = flags.reserve !== undefined ? parseCount("--reserve", flags.reserve) : undefined;
  const maxWaitMs = flags.maxWait !== undefined ? parseDuration("--max-wait", flags.maxWait) : undefined;
  const plan = await planEndpoints(flags, flagPolicy, repos);
  const client = createClient(flags, plan.config);
  const progress = new ProgressDisplay({ quiet: flags.quiet === true || flags.json === true });
  try {
    const pairs: SyncPair[] = [];
    // CROSSDOCK_DOCKER_HUB_API points the Docker Hub listing elsewhere (a Hub-compatible API; the tests).
    const hubApi = process.env["CROSSDOCK_DOCKER_HUB_API"];
    for (const mapping of plan.mappings) {
      pairs.push(
        ...(await resolveSyncPairs(client, hubApi ? { ...mapping, dockerHubApi: hubApi } : mapping)),
      );
    }
    const budgets = new Map<string, PullBudget>();
    for (const pair of pairs) {
      if (!(pair.source instanceof RegistryRepository) || budgets.has(pair.source.storageKey)) continue;
      const registry = pair.source.ref.domain;
      const probeRef = withTag(pair.source.ref, "latest");
      const budget: PullBudget = new PullBudget({
        read: () => client.rateLimit(registry),
        probe: async (signal) => {
          await client.headManifest(probeRef, signal).catch(() => undefined);
        },
        ...(reserve !== undefined ? { reserve } : {}),
        ...(maxWaitMs !== undefined ? { maxWaitMs } : {}),
        onWait: (waitedMs, reading) =>
          progress.onEvent({
            type: "waiting",
            message: `paused: ${reading.remaining} of ${reading.limit} pulls left at ${registry} (reserve ${budget.reserve}); probing with HEAD until they come back`,
            waitedMs,
          }),
      });
      budgets.set(pair.source.storageKey, budget);
    }
    const session = new CopySession({
      ...(blobJobs !== undefined ? { blobJobs } : {}),
      onEvent: progress.onEvent,
      budgets,
    });
    const synced = await syncRepositories(pairs, {
      session,
      ...(jobs !== undefined ? { jobs } : {}),
      ...(flags.dryRun ? { dryRun: true } : {}),
      referrers: flags.referrers,
      ...(flags.platform ? { platforms: flags.platform } : {}),
      ...(flags.format ? { format: flags.format } : {}),
    });
    progress.stop();
    // Written byte for byte into layouts: say which readers will not take Docker media types.
    const layouts = new Set(
      pairs.filter((p) => !(p.target instanceof RegistryRepository)).map((p) => p.target.location),
    );
    const entries = synced.map((entry) => {
      // An entry's target is the location, a colon and the tag (which has no colon).
      const inLayout = layouts.has(entry.target.slice(0, entry.target.lastIndexOf(":")));
      const note =
        inLayout && entry.mediaType !== undefined && flags.format !== "oci"
          ? noteDockerMediaTypes(entry.mediaType, entry.target)
          : undefined;
      return note === undefined ? entry : { ...entry, warnings: [...(entry.warnings ?? []), note] };
    });
    const requests: Record<string, RequestCounts> = {};
    for (const host of client.stats.hosts()) requests[host] = { ...client.stats.forHost(host) };
    const [budgetKey, budget] = [...budgets.entries()][0] ?? [];
    const summary = summarize(
      entries,
      session.counters,
      requests,
      budget && budgetKey
        ? { registry: budgetKey.replace(/^registry:/, ""), ...budget.readings(), spent: budget.spent }
        : undefined,
    );
    if (flags.json) writeJson({ entries, summary });
    else printReport(entries, summary, flags.dryRun === true);
    // Pending tags (the pull budget ran out under --max-wait) are unfinished work: exit 1, rerun to continue.
    if (summary.counts.failed > 0 || summary.pending > 0) process.exitCode = ExitCode.failure;
  } finally {
    progress.stop();
    await client.close();
  }
}

function printReport(entries: readonly SyncEntry[], summary: SyncSummary, dryRun: boolean): void {
  const rows = entries.map((e) => [
    e.status,
    e.source,
    e.target,
    e.digest?.slice(0, 19) ?? "",
    e.bytes ? formatBytes(e.bytes) : "",
  ]);
  writeLine(formatTable([["STATUS", "SOURCE", "TARGET", "DIGEST", "BYTES"], ...rows]));
  writeLine();
  const c = summary.counts;
  writeLine(
    dryRun
      ? `plan: ${c["would-copy"]} to copy, ${c["in-sync"]} already in sync, ${c.failed} failed`
      : `${c.copied} copied, ${c["in-sync"]} already in sync, ${c.failed} failed, ${c.pending} pending; ${formatBytes(summary.bytesMoved)} moved (${summary.blobs.blobsCopied} blobs copied, ${summary.blobs.blobsMounted} mounted, ${summary.blobs.blobsExisting} already there)`,
  );
  for (const [host, r] of Object.entries(summary.requests)) {
    writeLine(
      `requests to ${host}: ${r.manifestGet} manifest GET, ${r.manifestHead} manifest HEAD, ${r.blobGet} blob GET, ${r.blobHead} blob HEAD`,
    );
  }
  if (summary.rateLimit) {
    const r = summary.rateLimit;
    writeLine(
      `rate limit at ${r.registry}: used ${r.used}, ${r.remaining} of ${r.limit} left${r.windowSeconds ? ` (window ${r.windowSeconds} s)` : ""}`,
    );
  }
  for (const failed of summary.failed) writeLine(`failed: ${failed.source}: ${failed.error}`);
  for (const entry of entries)
    for (const warning of entry.warnings ?? []) writeLine(`warning: ${entry.target}: ${warning}`);
  if (summary.pending > 0)
    writeLine(
      `${summary.pending} tag(s) pending: the pull budget ran out; rerun the same command to continue`,
    );
  if (summary.blobs.foreignLayers.length > 0) {
    writeLine(`skipped ${summary.blobs.foreignLayers.length} non-distributable layer(s), as the spec allows`);
  }
}

/**
 * What to sync: `--from`/`--to`, or else every mapping of crossdock.yaml (its repositories and tag
 * policy; `--repos` and the tag flags override them).
 */
async function planEndpoints(
  flags: SyncFlags,
  flagPolicy: TagPolicy,
  repos: string[] | undefined,
): Promise<{ mappings: SyncPairsOptions[]; config?: CrossdockConfig }> {
  if (flags.from !== undefined || flags.to !== undefined) {
    if (flags.from === undefined || flags.to === undefined) throw new UsageError("give both --from and --to");
    const mapping = {
      from: parseSyncEndpoint(flags.from),
      to: parseSyncEndpoint(flags.to),
      policy: flagPolicy,
    };
    return { mappings: [repos ? { ...mapping, repos } : mapping] };
  }
  // The config reader (and its YAML parser) loads only when there is no --from/--to.
  const { findConfig, loadConfig } = await import("../../migrate/config.js");
  const file = flags.config ?? (await findConfig("."));
  if (file === undefined)
    throw new UsageError(
      "give --from and --to, or run where a crossdock.yaml with mappings is (or --config FILE)",
    );
  const config = await loadConfig(file);
  if (config.mappings.length === 0) throw new UsageError(`${file}: no mappings to sync`);
  return {
    config,
    mappings: config.mappings.map((m) => {
      const names = repos ?? m.repositories;
      return {
        from: { kind: "registry", prefix: m.rule.from },
        to: { kind: "registry", prefix: m.rule.to },
        policy: { ...m.policy, ...flagPolicy },
        ...(names ? { repos: names } : {}),
      };
    }),
  };
}

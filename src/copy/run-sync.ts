import type { RegistryClient } from "../registry/client.js";
import { noteDockerMediaTypes } from "../store/layout-readers.js";
import { RegistryRepository } from "../store/registry-repository.js";
import { openSyncEndpoint, type SyncEndpoint } from "../store/sync-endpoint.js";
import type { CopyEventListener } from "./events.js";
import type { ShardSpec } from "./plan-share.js";
import { createPullBudgets } from "./pull-budgets.js";
import { CopySession } from "./session.js";
import type { PlannedRepository } from "./shares.js";
import { type RequestCounts, type SyncSummary, summarize } from "./summary.js";
import { type SyncEntry, type SyncPair, syncRepositories } from "./sync.js";
import { resolveSyncPairs } from "./sync-pairs.js";
import type { TagPolicy } from "./tag-filter.js";

/** One prefix to sync into another, with its tag policy (a `--from`/`--to` pair or a crossdock.yaml mapping). */
export interface SyncMapping {
  readonly from: SyncEndpoint;
  readonly to: SyncEndpoint;
  /** Names under `from`; absent: the source's catalog (or Docker Hub's listing) decides. */
  readonly repos?: readonly string[];
  readonly policy: TagPolicy;
  /** Decided by a plan: exactly these repositories and tags (the policy is not applied again). */
  readonly planned?: readonly PlannedRepository[];
}

/** Options of sync: what `crossdock sync` takes, as a library call. */
export interface SyncRunOptions {
  readonly client: RegistryClient;
  readonly mappings: readonly SyncMapping[];
  /** Images copied at once (syncRepositories' default 4 when absent). */
  readonly jobs?: number;
  /** Blob transfers at once (CopySession's default 6 when absent). */
  readonly blobJobs?: number;
  readonly dryRun?: boolean;
  /** Bring signatures and attestations along; default true. */
  readonly referrers?: boolean;
  readonly platforms?: readonly string[];
  /** `oci`: store Docker manifests with OCI media types (the digest changes); default byte for byte. */
  readonly format?: "oci";
  /** Pulls of a rate-limited source to leave unspent (PullBudget's default 5 when absent). */
  readonly reserve?: number;
  /** Stop instead of waiting longer than this for the rate limit; the rest is reported pending. */
  readonly maxWaitMs?: number;
  /** This run is one of several shards that share the source's pull budget (see PullBudget's `group`). */
  readonly shard?: ShardSpec;
  /** Base URL of Docker Hub's web API, which lists a namespace; default https://hub.docker.com. */
  readonly dockerHubApi?: string;
  readonly onEvent?: CopyEventListener;
  readonly signal?: AbortSignal;
}

/** What a sync did: one entry per tag and the summary (counts, bytes, requests, rate limit). */
export interface SyncReport {
  readonly entries: readonly SyncEntry[];
  readonly summary: SyncSummary;
}

/**
 * The whole `crossdock sync` as one call: pairs each mapping's repositories, gives every
 * rate-limited source registry a pull budget, syncs every pair in one copy session (blobs
 * dedupe and mount across all of them), and summarizes.
 */
export async function sync(options: SyncRunOptions): Promise<SyncReport> {
  const { client, signal } = options;
  const pairs: SyncPair[] = [];
  for (const mapping of options.mappings) {
    const resolved = await resolveSyncPairs({
      from: openSyncEndpoint(client, mapping.from, options.dockerHubApi),
      to: openSyncEndpoint(client, mapping.to),
      policy: mapping.policy,
      ...(mapping.repos ? { repos: mapping.repos } : {}),
      ...(signal ? { signal } : {}),
    });
    // resolveSyncPairs keeps the order of `repos`, which a planned mapping takes from `planned`.
    pairs.push(
      ...resolved.map((pair, i) => (mapping.planned ? { ...pair, tags: mapping.planned[i]!.tags } : pair)),
    );
  }
  const registrySources = pairs.flatMap((p) =>
    p.source instanceof RegistryRepository ? [p.source.ref] : [],
  );
  const budgets = createPullBudgets(client, registrySources, {
    ...options,
    ...(options.shard ? { group: options.shard } : {}),
  });
  const session = new CopySession({
    ...(options.blobJobs !== undefined ? { blobJobs: options.blobJobs } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    budgets,
  });
  const synced = await syncRepositories(pairs, {
    session,
    ...(options.jobs !== undefined ? { jobs: options.jobs } : {}),
    ...(options.dryRun ? { dryRun: true } : {}),
    referrers: options.referrers ?? true,
    ...(options.platforms ? { platforms: options.platforms } : {}),
    ...(options.format ? { format: options.format } : {}),
    ...(signal ? { signal } : {}),
  });
  // Layouts written byte for byte: their locations, once, for the note on Docker media types.
  const layouts = new Set(
    pairs.filter((p) => !(p.target instanceof RegistryRepository)).map((p) => p.target.location),
  );
  const entries =
    options.format === "oci" || layouts.size === 0
      ? synced
      : synced.map((entry) => withLayoutNote(entry, layouts));
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
  return { entries, summary };
}

/** An entry written byte for byte into a layout gets the note on which readers will not take Docker media types. */
function withLayoutNote(entry: SyncEntry, layouts: ReadonlySet<string>): SyncEntry {
  // An entry's target is the location, a colon and the tag (which has no colon).
  const inLayout = layouts.has(entry.target.slice(0, entry.target.lastIndexOf(":")));
  const note =
    inLayout && entry.mediaType !== undefined
      ? noteDockerMediaTypes(entry.mediaType, entry.target)
      : undefined;
  return note === undefined ? entry : { ...entry, warnings: [...(entry.warnings ?? []), note] };
}

import type { RegistryClient } from "../registry/client.js";
import { openSyncEndpoint, type SyncEndpoint } from "../store/sync-endpoint.js";
import { mapLimit } from "./limiter.js";
import type { SyncMapping } from "./run-sync.js";
import { compareText, type PlannedRepository } from "./shares.js";
import { selectTags, type TagPolicy, validateTagPolicy } from "./tag-filter.js";

/** One mapping of a plan: both sides, the policy that chose the tags, and what it chose. */
export interface PlannedMapping {
  readonly from: SyncEndpoint;
  readonly to: SyncEndpoint;
  /** The tag policy already applied to the listing (kept to show how the tags were chosen). */
  readonly policy: TagPolicy;
  /** Sorted by name, each with its selected tags sorted. */
  readonly repositories: readonly PlannedRepository[];
}

/**
 * What a sync will copy, decided once from the tag lists alone (a tag list costs no pull): every
 * selected repository and tag of every mapping. The same plan gives every shard the same shares.
 */
export interface SyncPlan {
  readonly version: 1;
  readonly mappings: readonly PlannedMapping[];
}

/** Options of planSync. */
export interface PlanSyncOptions {
  readonly client: RegistryClient;
  readonly mappings: readonly SyncMapping[];
  /** Base URL of Docker Hub's web API, which lists a namespace; default https://hub.docker.com. */
  readonly dockerHubApi?: string;
  readonly signal?: AbortSignal;
}

/** Repositories listed at once: tag lists are small requests (the same bound as sync's planning). */
const listingJobs = 16;

/**
 * Lists every selected repository and tag of each mapping: the catalog (or `repos`), then each
 * source repository's tag list through the mapping's policy. No manifest is fetched or HEADed,
 * so a plan spends nothing of a pull budget. Names and tags come out sorted, so two machines
 * that list the same registry write the same plan.
 */
export async function planSync(options: PlanSyncOptions): Promise<SyncPlan> {
  const { signal } = options;
  const mappings: PlannedMapping[] = [];
  for (const mapping of options.mappings) {
    validateTagPolicy(mapping.policy);
    const from = openSyncEndpoint(options.client, mapping.from, options.dockerHubApi);
    const names = mapping.repos ? [...new Set(mapping.repos)] : await from.list(signal);
    const repositories = await mapLimit(names.sort(compareText), listingJobs, async (name) => {
      const source = await from.open(name, false);
      const tags = selectTags(await source.listTags(signal), mapping.policy);
      return { repository: name, tags: [...new Set(tags)].sort(compareText) };
    });
    mappings.push({ from: mapping.from, to: mapping.to, policy: mapping.policy, repositories });
  }
  return { version: 1, mappings };
}

/** The mappings that run exactly a plan's repositories and tags (for `sync`). */
export function mappingsOfPlan(plan: SyncPlan): SyncMapping[] {
  return plan.mappings.map((m) => ({
    from: m.from,
    to: m.to,
    policy: m.policy,
    repos: m.repositories.map((r) => r.repository),
    planned: m.repositories,
  }));
}

/** How many repositories and tags a plan holds. */
export function countPlan(plan: SyncPlan): { repositories: number; tags: number } {
  let repositories = 0;
  let tags = 0;
  for (const mapping of plan.mappings)
    for (const repository of mapping.repositories) {
      repositories++;
      tags += repository.tags.length;
    }
  return { repositories, tags };
}

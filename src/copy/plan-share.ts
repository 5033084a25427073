import { formatSyncEndpoint } from "./plan-file.js";
import { divideIntoShares, type PlannedRepository } from "./shares.js";
import type { PlannedMapping, SyncPlan } from "./sync-plan.js";

/** Which share of a plan one machine runs: `index` of `count`, counting from 0 (`--shard 0/4`). */
export interface ShardSpec {
  readonly index: number;
  readonly count: number;
}

/**
 * The part of `plan` that shard `shard.index` of `shard.count` runs, as a plan of its own. Every
 * repository of every mapping is divided at once (divideIntoShares: balanced by tag count, a
 * repository whole unless it is larger than a fair share, deterministic), so each tag of the
 * plan lands in exactly one shard and no two shards write the same tag. A repository is told
 * apart across mappings by both prefixes, so two mappings with a `katib-ui` each stay two.
 */
export function shareOfPlan(plan: SyncPlan, shard: ShardSpec): SyncPlan {
  const keyed: PlannedRepository[] = [];
  const origin = new Map<string, { mapping: number; name: string }>();
  plan.mappings.forEach((mapping, index) => {
    for (const repository of mapping.repositories) {
      const key = `${formatSyncEndpoint(mapping.from)} ${formatSyncEndpoint(mapping.to)} ${repository.repository}`;
      origin.set(key, { mapping: index, name: repository.repository });
      keyed.push({ repository: key, tags: repository.tags });
    }
  });
  const share = divideIntoShares(keyed, shard.count)[shard.index];
  const chosen = plan.mappings.map(() => [] as PlannedRepository[]);
  for (const piece of share?.repositories ?? []) {
    const from = origin.get(piece.repository)!;
    chosen[from.mapping]!.push({ repository: from.name, tags: piece.tags });
  }
  const mappings: PlannedMapping[] = plan.mappings.flatMap((mapping, index) =>
    chosen[index]!.length > 0 ? [{ ...mapping, repositories: chosen[index]! }] : [],
  );
  return { version: 1, mappings };
}

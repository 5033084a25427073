import { UsageError } from "../errors.js";
import type { RepositorySet } from "../store/repository-set.js";
import type { SyncPair } from "./sync.js";
import type { TagPolicy } from "./tag-filter.js";

/** Which repositories under `from` to sync to the same names under `to`. */
export interface SyncPairsOptions {
  readonly from: RepositorySet;
  readonly to: RepositorySet;
  /** Names under `from` (`katib-ui`, `katib-controller`); when absent, `from` lists them (its catalog). */
  readonly repos?: readonly string[];
  readonly policy: TagPolicy;
  readonly signal?: AbortSignal;
}

/** Pairs each source repository with the repository of the same name under the target. */
export async function resolveSyncPairs(options: SyncPairsOptions): Promise<SyncPair[]> {
  const names = options.repos ? [...options.repos] : await options.from.list(options.signal);
  const pairs: SyncPair[] = [];
  for (const name of names) {
    const trimmed = name.replace(/^\/+|\/+$/g, "");
    if (trimmed === "") throw new UsageError("--repos: empty repository name");
    pairs.push({
      source: await options.from.open(trimmed, false),
      target: await options.to.open(trimmed, true),
      policy: options.policy,
    });
  }
  return pairs;
}

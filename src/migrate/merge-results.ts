import { compareText } from "../copy/shares.js";
import { UsageError } from "../errors.js";
import type { Lockfile, LockImage } from "./lock.js";
import { mergeImages } from "./migrate.js";
import type { ResultImage, ResultTag, SyncResult } from "./sync-result.js";

/** A result with the file it came from (errors and the report name it). */
export interface NamedResult {
  readonly file: string;
  readonly result: SyncResult;
}

/** What merging a run's results gives: the lock, and what the report says. */
export interface MergedResults {
  readonly lock: Lockfile;
  /** Every image the results name, sorted by source. */
  readonly images: readonly ResultImage[];
  /** Tags no result finished (a rerun of their shard continues). */
  readonly pending: readonly ResultTag[];
  readonly failed: readonly ResultTag[];
  /** Shard count of the run (1 for a run of the whole plan). */
  readonly shards: number;
  /** Shards with no result among the files. */
  readonly missingShards: readonly number[];
  /** Different plan digests among the results (shards that listed on their own and saw different registries). */
  readonly plans: readonly string[];
  /** Whether the whole plan is done: every shard present, one plan, nothing pending or failed. */
  readonly complete: boolean;
}

/**
 * Merges the results of a sharded run (or one whole run) into one lock. An image any result
 * finished counts as done, even if another (an earlier run of the same shard) left it pending.
 * Two results that finished one tag with different digests are a UsageError: they are not one
 * run. Entries of `previous` (an existing crossdock.lock) stay, and keep their owner, usage and, for
 * the same digest, the platforms an in-sync image could not tell (it was not fetched). The lock
 * depends only on what was copied, not on how the plan was divided: N shards give the same lock
 * as one machine.
 */
export function mergeSyncResults(results: readonly NamedResult[], previous?: Lockfile): MergedResults {
  if (results.length === 0) throw new UsageError("lock merge: name at least one result file");
  const images = new Map<string, { image: ResultImage; file: string }>();
  for (const { file, result } of results)
    for (const image of result.images) {
      const earlier = images.get(image.source);
      if (earlier && earlier.image.digest !== image.digest)
        throw new UsageError(
          `${image.source}: ${earlier.file} recorded ${earlier.image.digest}, ${file} recorded ${image.digest}; merge the results of one run`,
        );
      if (!earlier || (earlier.image.platforms.length === 0 && image.platforms.length > 0))
        images.set(image.source, { image, file });
    }
  const unfinished = (list: "pending" | "failed"): ResultTag[] => {
    const tags = new Map<string, ResultTag>();
    for (const { result } of results)
      for (const tag of result[list]) if (!images.has(tag.source)) tags.set(tag.source, tag);
    return [...tags.values()].sort((a, b) => compareText(a.source, b.source));
  };
  const failed = unfinished("failed");
  const pending = unfinished("pending").filter((p) => !failed.some((f) => f.source === p.source));
  const shards = results[0]!.result.shard?.count ?? 1;
  for (const { file, result } of results)
    if ((result.shard?.count ?? 1) !== shards)
      throw new UsageError(`${file}: a shard of ${result.shard?.count ?? 1}, the others of ${shards}`);
  const present = new Set(results.map((r) => r.result.shard?.index ?? 0));
  const missingShards = Array.from({ length: shards }, (_, i) => i).filter((i) => !present.has(i));
  const plans = [...new Set(results.flatMap((r) => (r.result.plan ? [r.result.plan] : [])))].sort();
  const merged = [...images.values()].map((e) => e.image).sort((a, b) => compareText(a.source, b.source));
  return {
    lock: lockWith(previous, merged),
    images: merged,
    pending,
    failed,
    shards,
    missingShards,
    plans,
    complete: missingShards.length === 0 && plans.length <= 1 && pending.length === 0 && failed.length === 0,
  };
}

/** The lock with the results' images: a new source is "own" (sync copies the project's images), a known one keeps its owner and usage. */
function lockWith(previous: Lockfile | undefined, images: readonly ResultImage[]): Lockfile {
  const known = new Map((previous?.images ?? []).map((i) => [i.source, i]));
  const current: LockImage[] = images.map((image) => ({
    source: image.source,
    target: image.target,
    digest: image.digest,
    mediaType: image.mediaType,
    platforms: image.platforms,
    ...(image.convertedFrom ? { convertedFrom: image.convertedFrom } : {}),
    owner: known.get(image.source)?.owner ?? "own",
    ...(known.get(image.source)?.usage ? { usage: known.get(image.source)!.usage! } : {}),
  }));
  return {
    version: 1,
    images: mergeImages(previous?.images ?? [], current),
    rewrites: previous?.rewrites ?? [],
  };
}

import { CrossdockError } from "../errors.js";
import { tagReference } from "../reference/manifest-reference.js";
import type { ManifestInfo, Repository } from "../store/types.js";
import { type CopyAsOciResult, copyImageAsOci } from "./copy-as-oci.js";
import { type CopyImageResult, copyImage, ImageNotFoundError } from "./copy-image.js";
import { Limiter, mapLimit } from "./limiter.js";
import { BudgetExhaustedError } from "./pull-budget.js";
import type { CopySession } from "./session.js";
import { selectTags, type TagPolicy, validateTagPolicy } from "./tag-filter.js";

/** One repository pair to sync. */
export interface SyncPair {
  readonly source: Repository;
  readonly target: Repository;
  readonly policy: TagPolicy;
  /** The tags to sync, decided by a plan (`--plan`); absent: the policy selects from the source's list. */
  readonly tags?: readonly string[];
}

/** Options of a sync run. */
export interface SyncOptions {
  readonly session: CopySession;
  /** Images copied at once. Default 4: measured on the bench; blob transfers are bounded separately. */
  readonly jobs?: number;
  /** Decide everything with HEAD requests and copy nothing. */
  readonly dryRun?: boolean;
  readonly referrers?: boolean;
  readonly platforms?: readonly string[];
  /** "oci": store Docker manifests with OCI media types (copyImageAsOci); such tags are converted again on every run. */
  readonly format?: "oci";
  readonly signal?: AbortSignal;
}

/** The fate of one tag. */
export type SyncStatus = "copied" | "in-sync" | "would-copy" | "failed" | "pending";

/** One row of the sync report (also the per-tag JSON shape). */
export interface SyncEntry {
  readonly repository: string;
  readonly tag: string;
  readonly source: string;
  readonly target: string;
  readonly digest?: string;
  /** The manifest's media type (copied and in-sync tags). */
  readonly mediaType?: string;
  /** `os/arch[/variant]` of an index's children when the image was fetched; empty when it was in sync. */
  readonly platforms?: readonly string[];
  /** With `format: "oci"`, the source's digest when the copy was converted (its digest then differs). */
  readonly convertedFrom?: string;
  readonly status: SyncStatus;
  readonly bytes?: number;
  readonly error?: string;
  /** The failure's stable code (README "Error codes"), when crossdock knows one. */
  readonly errorCode?: string;
  readonly warnings?: readonly string[];
}

/** A planned tag: both sides' HEADs. */
interface PlannedTag {
  readonly pair: SyncPair;
  readonly tag: string;
  /** Every tag of the source repository: attachment tags are looked up here, not with requests. */
  readonly sourceTags: ReadonlySet<string>;
  readonly sourceInfo?: ManifestInfo;
  /** Why the source's HEAD failed (after the client's retries): the tag fails with it, the others go on. */
  readonly sourceError?: unknown;
  readonly targetInfo?: ManifestInfo;
}

/** Repositories planned at once (bench/RESULTS.md: 16 ended a no-op sync of 12 repositories sooner than 4). */
const planningJobs = 16;

/** What every repository of one run shares: the bound on images copied at once, and whether to stop. */
interface SyncRun {
  readonly copies: Limiter;
  /** The pull budget ran out (waiting was not allowed): nothing new starts, the rest is pending. */
  stopped: boolean;
}

/**
 * Syncs tags from source repositories into targets, incrementally: one HEAD per tag on each side;
 * equal digests mean nothing more is sent, and a source manifest GET happens only for digests the
 * target lacks (on Docker Hub a GET is a pull, a HEAD is not). When the pull budget runs out and
 * waiting is not allowed, or `signal` aborts, the rest is reported as `pending`: rerunning continues.
 *
 * It streams by repository: each is listed, HEADed and copied before its place is taken by the
 * next, so what is held besides the entries is the repositories in flight, not the organisation
 * (bench/RESULTS.md, "Organisation scale"), and copying starts with the first repository.
 */
export async function syncRepositories(
  pairs: readonly SyncPair[],
  options: SyncOptions,
): Promise<SyncEntry[]> {
  for (const pair of pairs) validateTagPolicy(pair.policy);
  const jobs = options.jobs ?? 4;
  const run: SyncRun = { copies: new Limiter(jobs), stopped: false };
  // Repositories are planned concurrently, more of them than images are copied at once: listing
  // tags and HEADs are small requests, and the connection pool bounds what is really in flight.
  const perPair = await mapLimit(pairs, Math.max(jobs, planningJobs), async (pair) => {
    const planned = await planRepository(pair, jobs, options);
    if (!Array.isArray(planned)) return [planned];
    return await mapLimit(planned, jobs, (item) => run.copies.run(() => syncTag(item, options, run)));
  });
  return perPair.flat();
}

/** Lists one repository's tags and HEADs each on both sides; a listing that fails is the repository's one entry. */
async function planRepository(
  pair: SyncPair,
  jobs: number,
  options: SyncOptions,
): Promise<PlannedTag[] | SyncEntry> {
  let allTags: string[];
  let tags: string[];
  try {
    allTags = await pair.source.listTags(options.signal);
    tags = pair.tags ? [...pair.tags] : selectTags(allTags, pair.policy);
  } catch (error) {
    return failedEntry(pair, "*", error);
  }
  const sourceTags = new Set(allTags);
  const plannedTags = await mapLimit(tags, jobs * 2, async (tag): Promise<PlannedTag> => {
    const [source, targetInfo] = await Promise.all([
      pair.source.headManifest(tagReference(tag), options.signal).then(
        (info) => ({ info, error: undefined }),
        (error: unknown) => ({ info: undefined, error: error ?? new Error("HEAD failed") }),
      ),
      pair.target.headManifest(tagReference(tag), options.signal).catch(() => undefined),
    ]);
    return {
      pair,
      tag,
      sourceTags,
      ...(source.info ? { sourceInfo: source.info } : {}),
      ...(source.error !== undefined ? { sourceError: source.error } : {}),
      ...(targetInfo ? { targetInfo } : {}),
    };
  });
  if (!options.dryRun && plannedTags.length > 0 && plannedTags.every((p) => p.targetInfo === undefined)) {
    if (await isNewRepository(pair.target, options.signal)) options.session.markNew(pair.target);
  }
  return plannedTags;
}

/** Decides and does one planned tag: in sync, copied, pending (budget spent, or aborted) or failed. */
async function syncTag(item: PlannedTag, options: SyncOptions, run: SyncRun): Promise<SyncEntry> {
  if (item.sourceError !== undefined)
    return entryOf(item, { status: "failed", ...failure(item.sourceError) });
  if (item.sourceInfo === undefined)
    return entryOf(item, { status: "failed", error: "tag disappeared from the source" });
  const { digest } = item.sourceInfo;
  const inSync = item.targetInfo?.digest === digest && !options.platforms?.length && options.format !== "oci";
  if (options.dryRun) return entryOf(item, { digest, status: inSync ? "in-sync" : "would-copy" });
  // After the budget ran out or the caller aborted (Ctrl-C), nothing new starts: the rest is pending.
  if (run.stopped || options.signal?.aborted) return entryOf(item, { digest, status: "pending" });
  try {
    const copy = options.format === "oci" ? copyImageAsOci : copyImage;
    const result = await copy(item.pair.source, item.pair.target, item.tag, {
      session: options.session,
      sourceInfo: item.sourceInfo,
      targetInfo: item.targetInfo ?? null,
      sourceTags: item.sourceTags,
      ...(options.referrers !== undefined ? { referrers: options.referrers } : {}),
      ...(options.platforms ? { platforms: options.platforms } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return entryOf(item, {
      digest: result.digest,
      mediaType: result.mediaType,
      ...convertedFrom(result),
      platforms: result.platforms,
      status: result.status,
      bytes: result.bytes,
      ...(result.warnings.length > 0 ? { warnings: result.warnings } : {}),
    });
  } catch (error) {
    if (error instanceof BudgetExhaustedError || options.signal?.aborted) {
      if (error instanceof BudgetExhaustedError) run.stopped = true;
      return entryOf(item, { digest, status: "pending" });
    }
    if (error instanceof ImageNotFoundError) return entryOf(item, { status: "failed", ...failure(error) });
    return entryOf(item, { digest, status: "failed", ...failure(error) });
  }
}

/**
 * A tag's entry, written as one literal with the details spread last: V8 (Node 20) gives every
 * object made as `{ ...base, more }` a hidden class of its own, about half a kilobyte a tag that
 * a report of 50,000 tags holds to the end (bench/RESULTS.md, "Organisation scale").
 */
function entryOf(
  item: PlannedTag,
  details: Omit<SyncEntry, "repository" | "tag" | "source" | "target">,
): SyncEntry {
  return {
    repository: item.pair.source.location,
    tag: item.tag,
    source: `${item.pair.source.location}:${item.tag}`,
    target: `${item.pair.target.location}:${item.tag}`,
    ...details,
  };
}

/**
 * Whether the target repository does not exist yet (a registry answers its tag list with
 * NAME_UNKNOWN) or has no tags. Then the copy uploads blobs without asking the target about each
 * first: a first sync of a repository costs a HEAD less per blob, and the worst case (blobs left by
 * an interrupted run) is an upload the registry did not need. Manifests are still asked about, so
 * no source manifest is pulled twice. Asked only when none of the selected tags is on the target;
 * an answer other than these two means "ask".
 */
async function isNewRepository(target: Repository, signal?: AbortSignal): Promise<boolean> {
  try {
    return (await target.listTags(signal)).length === 0;
  } catch (error) {
    return error instanceof CrossdockError && error.code === "NAME_UNKNOWN";
  }
}

function failedEntry(pair: SyncPair, tag: string, error: unknown): SyncEntry {
  return {
    repository: pair.source.location,
    tag,
    source: pair.source.location,
    target: pair.target.location,
    status: "failed",
    ...failure(error),
  };
}

/** A failed entry's message, and its stable code when crossdock knows one (see error-codes.ts). */
function failure(error: unknown): { error: string; errorCode?: string } {
  const message = error instanceof Error ? error.message : String(error);
  return error instanceof CrossdockError ? { error: message, errorCode: error.code } : { error: message };
}

/** The source digest a `format: "oci"` copy converted from, when it converted. */
function convertedFrom(result: CopyImageResult | CopyAsOciResult): { convertedFrom?: string } {
  return "converted" in result && result.converted ? { convertedFrom: result.converted.from } : {};
}

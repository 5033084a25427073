import type { Descriptor } from "../oci/manifest.js";
import { digestReference } from "../reference/manifest-reference.js";
import type { FetchedManifest, Repository } from "../store/types.js";
import { CopyCounters } from "./counters.js";
import type { CopyEventListener } from "./events.js";
import { Limiter } from "./limiter.js";
import type { PullBudget } from "./pull-budget.js";
import { SingleFlight } from "./single-flight.js";

/** Options of a copy session (one CLI run). */
export interface CopySessionOptions {
  /** Blob transfers at once. Default 6: more (12, 24) measured no faster on the bench (bench/RESULTS.md) and costs memory and sockets. */
  readonly blobJobs?: number;
  /** Budget for manifest GETs against each rate-limited source, by source storage key. */
  readonly budgets?: ReadonlyMap<string, PullBudget>;
  readonly onEvent?: CopyEventListener;
}

/**
 * The state one run shares across every image it copies: blob transfers in flight (single-flight
 * per target storage and digest), where each blob is known to live (to mount instead of upload),
 * manifests already fetched (a source manifest GET happens at most once per digest per run).
 */
export class CopySession {
  readonly counters = new CopyCounters();
  readonly blobLimiter: Limiter;
  /** Blob transfers in flight, by target storage and digest; each settles with the bytes it moved. */
  readonly blobFlights = new SingleFlight<string, number>();
  /** Blob placements in flight, by target repository and digest (see ensureBlob). */
  readonly blobPlacements = new SingleFlight<string, number>();
  readonly onEvent: CopyEventListener;
  readonly #budgets: ReadonlyMap<string, PullBudget>;
  readonly #holders = new Map<string, Repository[]>();
  readonly #manifests = new SingleFlight<string, FetchedManifest>();
  readonly #fetched = new Map<string, FetchedManifest>();
  readonly #noReferrersApi = new Set<string>();
  readonly #referrersProbes = new Map<string, Promise<unknown>>();
  readonly #newRepositories = new Set<string>();

  constructor(options: CopySessionOptions = {}) {
    this.blobLimiter = new Limiter(options.blobJobs ?? 6);
    this.#budgets = options.budgets ?? new Map();
    this.onEvent = options.onEvent ?? (() => {});
  }

  /** Records that `repository` holds a blob, so later copies into its storage can mount it. */
  noteBlob(repository: Repository, digest: string): void {
    const key = `${repository.storageKey}\n${digest}`;
    const list = this.#holders.get(key) ?? [];
    if (!list.some((r) => r.location === repository.location)) list.push(repository);
    this.#holders.set(key, list);
  }

  /**
   * A repository's referrers of `digest`, or undefined where the store has no referrers API. A
   * registry that answered 404 once is not asked again this run (each unchanged tag would cost a request).
   */
  async referrersOf(
    repository: Repository,
    digest: string,
    signal?: AbortSignal,
  ): Promise<Descriptor[] | undefined> {
    const key = repository.storageKey;
    // The first call to a store is the probe: calls made while it runs wait for its answer
    // instead of each learning the same 404.
    const probe = this.#referrersProbes.get(key);
    if (probe) await probe.catch(() => {});
    if (this.#noReferrersApi.has(key)) return undefined;
    const call = repository.referrers(digest, signal);
    if (!probe) this.#referrersProbes.set(key, call);
    const referrers = await call;
    if (referrers === undefined) this.#noReferrersApi.add(key);
    return referrers;
  }

  /** Records that a blob is now in `repository` and how it got there (counters, progress, mount knowledge). */
  recordBlob(repository: Repository, blob: Descriptor, how: "copied" | "mounted" | "exists"): void {
    this.noteBlob(repository, blob.digest);
    if (how === "copied") this.counters.blobsCopied++;
    else if (how === "mounted") this.counters.blobsMounted++;
    else this.counters.blobsExisting++;
    this.onEvent({ type: "blob-done", digest: blob.digest, size: blob.size, how });
  }

  /** Records that `repository` had no tags when this run began (see isNewRepository in sync.ts). */
  markNew(repository: Repository): void {
    this.#newRepositories.add(`${repository.storageKey}\n${repository.location}`);
  }

  /** Whether blobs are uploaded to `repository` without a HEAD first: it had nothing when the run began. */
  isNew(repository: Repository): boolean {
    return this.#newRepositories.has(`${repository.storageKey}\n${repository.location}`);
  }

  /** Whether this run has seen `repository` hold the blob. */
  holds(repository: Repository, digest: string): boolean {
    return (this.#holders.get(`${repository.storageKey}\n${digest}`) ?? []).some(
      (r) => r.location === repository.location,
    );
  }

  /** Repositories of the same storage known to hold the blob, other than `repository`. */
  holdersFor(repository: Repository, digest: string): Repository[] {
    return (this.#holders.get(`${repository.storageKey}\n${digest}`) ?? []).filter(
      (r) => r.location !== repository.location,
    );
  }

  /** Fetches a source manifest by digest at most once per run (spending one pull from its budget). */
  async fetchManifest(source: Repository, digest: string, signal?: AbortSignal): Promise<FetchedManifest> {
    const key = `${source.storageKey}\n${digest}`;
    const done = this.#fetched.get(key);
    if (done) return done;
    return await this.#manifests.run(key, async () => {
      await this.#budgets.get(source.storageKey)?.acquire(signal);
      const manifest = await source.getManifest(digestReference(digest), signal);
      this.#fetched.set(key, manifest);
      return manifest;
    });
  }
}

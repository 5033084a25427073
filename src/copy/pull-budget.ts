import { CrossdockError } from "../errors.js";

/** The latest rate-limit reading of a registry (Docker Hub's `ratelimit-remaining: 76;w=21600`). */
export interface RateLimitReading {
  readonly limit: number;
  readonly remaining: number;
  readonly windowSeconds?: number;
  readonly observedAt: number;
}

/** The budget ran low and `maxWaitMs` passed before it came back: the run stops cleanly; a rerun continues. */
export class BudgetExhaustedError extends CrossdockError {
  constructor(message: string) {
    super("PULL_BUDGET_EXHAUSTED", message);
  }
}

/** How the budget reads and refreshes the source's rate limit. */
export interface PullBudgetOptions {
  /** The latest reading, or undefined when the source sends no rate-limit headers (then nothing is held back). */
  readonly read: () => RateLimitReading | undefined;
  /** Makes a request that costs no pull (a manifest HEAD) so the reading refreshes. */
  readonly probe: (signal?: AbortSignal) => Promise<void>;
  /** Pulls to keep in hand for the project's own users and CI. Default 5: enough for a CI run to pull a few images. */
  readonly reserve?: number;
  /** Stop instead of waiting longer than this; undefined waits as long as it takes. */
  readonly maxWaitMs?: number;
  /** How often to re-probe while paused. Default 60 s: Docker Hub's window is hours, probing faster gains nothing. */
  readonly probeIntervalMs?: number;
  readonly onWait?: (waitedMs: number, reading: RateLimitReading) => void;
  /** This budget is one of `count` shards drawing on the same account (`--shard index/count`). */
  readonly group?: { readonly index: number; readonly count: number };
}

/**
 * Spends a rate-limited source's pulls (manifest GETs) carefully. Docker Hub tells the window's
 * length but not when it resets, so when the budget is down to the reserve the budget pauses and
 * re-probes with HEAD requests, which cost nothing, until pulls come back,
 * rather than failing a sync that a pause would have finished.
 * https://docs.docker.com/docker-hub/usage/pulls/
 *
 * Shards on one account (a `group`) share one budget with no coordinator. `ratelimit-remaining`
 * already counts every shard's pulls, since the registry counts per account; what a shard cannot
 * see is the others' pulls since its last reading. So each shard assumes the others spent as many
 * as it did since that reading: it takes a pull only while remaining − (own pulls since the
 * reading + 1) × shards stays at or above the reserve (one shard: remaining − own pulls above the reserve).
 * Between two readings the group then spends at most what was above the reserve, and the whole
 * reserve stays for the project's users. Before pausing, a reading older than the shard's own
 * last pulls is refreshed with a HEAD (free): the estimate is cautious, so only a fresh reading
 * that still says no is worth a pause. While paused, shard I of N re-probes after
 * (1 + (I + 1) / N) / 2 of the interval, so N paused shards do not all probe at once.
 */
export class PullBudget {
  readonly reserve: number;
  readonly #options: PullBudgetOptions;
  /** Pulls started since the reading we last saw: readings lag behind concurrent GETs. */
  #spentSinceReading = 0;
  #lastObservedAt = -1;
  #spentTotal = 0;
  #firstReading: RateLimitReading | undefined;

  constructor(options: PullBudgetOptions) {
    this.#options = options;
    this.reserve = options.reserve ?? 5;
  }

  /** How many pulls this run has spent. */
  get spent(): number {
    return this.#spentTotal;
  }

  /** The first and latest readings, for the summary (budget used and left). */
  readings(): { first?: RateLimitReading; latest?: RateLimitReading } {
    const latest = this.#options.read();
    return { ...(this.#firstReading ? { first: this.#firstReading } : {}), ...(latest ? { latest } : {}) };
  }

  /**
   * What the account would have left, at worst, after one more pull by this budget: every shard of
   * the group is assumed to have spent as many since the reading as this one, plus this pull.
   */
  #leftAfterPull(): number | undefined {
    const reading = this.#options.read();
    if (reading === undefined) return undefined;
    this.#firstReading ??= reading;
    if (reading.observedAt !== this.#lastObservedAt) {
      this.#lastObservedAt = reading.observedAt;
      this.#spentSinceReading = 0;
    }
    return reading.remaining - (this.#spentSinceReading + 1) * (this.#options.group?.count ?? 1);
  }

  /** Waits until one pull can be spent above the reserve, then counts it. */
  async acquire(signal?: AbortSignal): Promise<void> {
    const started = Date.now();
    let refreshed = false;
    for (;;) {
      const left = this.#leftAfterPull();
      if (left === undefined || left >= this.reserve) break;
      // The reading is older than this budget's own last pulls: a fresh one (a HEAD, free) may say
      // there is room. Only a fresh reading that still says no is worth a pause.
      if (!refreshed && this.#spentSinceReading > 0) {
        refreshed = true;
        await this.#options.probe(signal);
        continue;
      }
      const waited = Date.now() - started;
      const reading = this.#options.read()!;
      if (this.#options.maxWaitMs !== undefined && waited >= this.#options.maxWaitMs) {
        throw new BudgetExhaustedError(
          `the source's pull budget is down to ${reading.remaining} (reserve ${this.reserve}); stopped after waiting ${Math.round(waited / 1000)} s`,
        );
      }
      this.#options.onWait?.(waited, reading);
      const interval = probeInterval(this.#options);
      const sleep =
        this.#options.maxWaitMs === undefined
          ? interval
          : Math.min(interval, this.#options.maxWaitMs - waited);
      await delay(Math.max(0, sleep), signal);
      await this.#options.probe(signal);
    }
    this.#spentSinceReading++;
    this.#spentTotal++;
  }
}

/** The pause between re-probes: the interval, staggered by shard so a paused group does not probe at once. */
function probeInterval(options: PullBudgetOptions): number {
  const interval = options.probeIntervalMs ?? 60_000;
  const group = options.group;
  return group ? (interval * (1 + (group.index + 1) / group.count)) / 2 : interval;
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

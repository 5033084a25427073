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
}

/**
 * Spends a rate-limited source's pulls (manifest GETs) carefully. Docker Hub tells the window's
 * length but not when it resets, so when the budget is down to the reserve the budget pauses and
 * re-probes with HEAD requests, which cost nothing, until pulls come back,
 * rather than failing a sync that a pause would have finished.
 * https://docs.docker.com/docker-hub/usage/pulls/
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

  #available(): number | undefined {
    const reading = this.#options.read();
    if (reading === undefined) return undefined;
    this.#firstReading ??= reading;
    if (reading.observedAt !== this.#lastObservedAt) {
      this.#lastObservedAt = reading.observedAt;
      this.#spentSinceReading = 0;
    }
    return reading.remaining - this.#spentSinceReading;
  }

  /** Waits until one pull can be spent above the reserve, then counts it. */
  async acquire(signal?: AbortSignal): Promise<void> {
    const started = Date.now();
    for (;;) {
      const available = this.#available();
      if (available === undefined || available > this.reserve) break;
      const waited = Date.now() - started;
      const reading = this.#options.read()!;
      if (this.#options.maxWaitMs !== undefined && waited >= this.#options.maxWaitMs) {
        throw new BudgetExhaustedError(
          `the source's pull budget is down to ${reading.remaining} (reserve ${this.reserve}); stopped after waiting ${Math.round(waited / 1000)} s`,
        );
      }
      this.#options.onWait?.(waited, reading);
      const interval = this.#options.probeIntervalMs ?? 60_000;
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

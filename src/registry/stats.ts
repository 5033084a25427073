import { registryKeyOf } from "./hosts.js";

/** Request counters of one registry host. */
export interface HostStats {
  manifestGet: number;
  manifestHead: number;
  manifestPut: number;
  blobGet: number;
  blobHead: number;
  /** Blob upload requests (POST, PATCH, PUT). */
  blobPut: number;
  blobMount: number;
  /** Bytes of blob bodies read (what flowed through the verifying stream). */
  blobBytesRead: number;
  tagList: number;
  /** Token requests to the registry's auth realm. */
  token: number;
  /** Everything else: ping, catalog, referrers, deletes. */
  other: number;
  /** Requests sent again after a 5xx, 429, reset or timeout. */
  retries: number;
  /** 429 answers. */
  rateLimited: number;
}

/** The name of one counter. */
export type StatName = keyof HostStats;

function emptyStats(): HostStats {
  return {
    manifestGet: 0,
    manifestHead: 0,
    manifestPut: 0,
    blobGet: 0,
    blobHead: 0,
    blobPut: 0,
    blobMount: 0,
    blobBytesRead: 0,
    tagList: 0,
    token: 0,
    other: 0,
    retries: 0,
    rateLimited: 0,
  };
}

/**
 * Per-registry request counters, so the copier and tests can see what a run cost (a sync of
 * unchanged tags should cost HEADs only). Keyed by registry (Docker Hub aliases are one key).
 */
export class RequestStats {
  readonly #byHost = new Map<string, HostStats>();

  /** Adds `n` to a counter of a registry. */
  count(registry: string, name: StatName, n = 1): void {
    const key = registryKeyOf(registry);
    let stats = this.#byHost.get(key);
    if (stats === undefined) {
      stats = emptyStats();
      this.#byHost.set(key, stats);
    }
    stats[name] += n;
  }

  /** A snapshot of one registry's counters (all zero when it was never contacted). */
  forHost(registry: string): Readonly<HostStats> {
    return { ...(this.#byHost.get(registryKeyOf(registry)) ?? emptyStats()) };
  }

  /** The counters summed over every registry. */
  total(): Readonly<HostStats> {
    const sum = emptyStats();
    for (const stats of this.#byHost.values()) {
      for (const name of Object.keys(sum) as StatName[]) sum[name] += stats[name];
    }
    return sum;
  }

  /** The registries contacted so far. */
  hosts(): string[] {
    return [...this.#byHost.keys()];
  }
}

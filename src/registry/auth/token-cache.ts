import { scopeKey } from "./scope.js";

/** A bearer token and when to stop using it. */
export interface CachedToken {
  readonly token: string;
  /** After this (ms since the epoch) a new token is fetched before the request, not after a 401. */
  readonly refreshAt: number;
}

/**
 * Bearer tokens per (registry, scope set), with one fetch in flight per key (many concurrent
 * blob requests share a token request). Explicit state, one per client.
 */
export class TokenCache {
  readonly #tokens = new Map<string, CachedToken>();
  readonly #inFlight = new Map<string, Promise<CachedToken>>();

  /**
   * The cached token for the key if it is still fresh, else the result of `fetch` (shared by
   * concurrent callers). `force` drops the cached one first (after a 401).
   */
  async get(
    registry: string,
    scopes: readonly string[],
    fetch: () => Promise<CachedToken>,
    options: { force?: boolean; now?: number } = {},
  ): Promise<string> {
    const key = `${registry}\n${scopeKey(scopes)}`;
    const cached = this.#tokens.get(key);
    if (cached !== undefined && !options.force && (options.now ?? Date.now()) < cached.refreshAt) {
      return cached.token;
    }
    if (options.force) this.#tokens.delete(key);
    let pending = this.#inFlight.get(key);
    if (pending === undefined) {
      pending = fetch().finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, pending);
    }
    const fresh = await pending;
    this.#tokens.set(key, fresh);
    return fresh.token;
  }
}

/**
 * When to refresh a token that lives `lifetimeSeconds`: a quarter of its life (at most 30 s)
 * before it runs out, so a request never leaves with a token about to expire.
 */
export function refreshTimeOf(issuedAt: number, lifetimeSeconds: number): number {
  const lifetimeMs = lifetimeSeconds * 1000;
  return issuedAt + lifetimeMs - Math.min(30_000, lifetimeMs / 4);
}

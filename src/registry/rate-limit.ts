import type { IncomingHttpHeaders } from "node:http";
import { registryKeyOf } from "./hosts.js";

/** A registry's pull budget as its latest response stated it. */
export interface RateLimitState {
  readonly limit: number;
  readonly remaining: number;
  /** The window of the limit in seconds (`w=21600`), when stated. */
  readonly windowSeconds?: number;
  /** When it was observed (ms since the epoch). */
  readonly observedAt: number;
}

/**
 * Reads `ratelimit-limit: 100;w=21600` and `ratelimit-remaining: 76;w=21600`, as Docker Hub sends
 * them on every manifest request, HEAD included.
 * https://docs.docker.com/docker-hub/usage/pulls/#view-pull-rate-and-limit
 */
export function parseRateLimit(headers: IncomingHttpHeaders, now: number): RateLimitState | undefined {
  const limit = parseQuota(headers["ratelimit-limit"]);
  const remaining = parseQuota(headers["ratelimit-remaining"]);
  if (limit === undefined || remaining === undefined) return undefined;
  const windowSeconds = limit.window ?? remaining.window;
  return {
    limit: limit.value,
    remaining: remaining.value,
    ...(windowSeconds !== undefined ? { windowSeconds } : {}),
    observedAt: now,
  };
}

function parseQuota(header: string | string[] | undefined): { value: number; window?: number } | undefined {
  const text = Array.isArray(header) ? header[0] : header;
  if (text === undefined) return undefined;
  const [first, ...params] = text.split(";").map((part) => part.trim());
  const value = Number(first);
  if (first === undefined || first === "" || !Number.isFinite(value)) return undefined;
  const w = params.find((p) => p.startsWith("w="));
  const window = w !== undefined ? Number(w.slice(2)) : Number.NaN;
  return Number.isFinite(window) ? { value, window } : { value };
}

/** The latest rate-limit state per registry: one account per client, never a module global. */
export class RateLimitAccount {
  readonly #states = new Map<string, RateLimitState>();

  /** Records the headers of any response from `registry` (no-op when they carry no limit). */
  record(registry: string, headers: IncomingHttpHeaders, now = Date.now()): void {
    const state = parseRateLimit(headers, now);
    if (state !== undefined) this.#states.set(registryKeyOf(registry), state);
  }

  /** The latest state of a registry, or undefined when it never stated a limit. */
  get(registry: string): RateLimitState | undefined {
    return this.#states.get(registryKeyOf(registry));
  }
}

import { ServeError } from "./errors.js";
import type { PullLimit } from "./options.js";

/**
 * Docker Hub's pull accounting: each manifest GET counts as a pull for the client's IP (HEADs and
 * blob GETs do not); at most `limit` pulls in any sliding window of `windowSeconds`.
 * https://docs.docker.com/docker-hub/download-rate-limit/
 */
export class PullLimiter {
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly pulls = new Map<string, number[]>();
  private readonly now: () => number;

  constructor(options: PullLimit, now: () => number = Date.now) {
    this.limit = options.limit;
    this.windowMs = options.windowSeconds * 1000;
    this.now = now;
  }

  /** The pulls of a client still inside the window, oldest first (older ones are forgotten). */
  private recent(client: string): number[] {
    const since = this.now() - this.windowMs;
    const kept = (this.pulls.get(client) ?? []).filter((time) => time > since);
    if (kept.length === 0) this.pulls.delete(client);
    else this.pulls.set(client, kept);
    return kept;
  }

  /**
   * Counts one pull, or throws TOOMANYREQUESTS (429) with `Retry-After`: the seconds until the
   * oldest counted pull leaves the window.
   */
  take(client: string): void {
    const recent = this.recent(client);
    if (recent.length >= this.limit) {
      const retryAfter = Math.max(1, Math.ceil((recent[0]! + this.windowMs - this.now()) / 1000));
      throw new ServeError(
        "TOOMANYREQUESTS",
        "You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit",
        { headers: { "retry-after": String(retryAfter), ...this.headers(client) } },
      );
    }
    recent.push(this.now());
    this.pulls.set(client, recent);
  }

  /** The `ratelimit-limit` and `ratelimit-remaining` headers Docker Hub sends, for a client. */
  headers(client: string): Record<string, string> {
    const window = `w=${this.windowMs / 1000}`;
    const remaining = Math.max(0, this.limit - this.recent(client).length);
    return {
      "ratelimit-limit": `${this.limit};${window}`,
      "ratelimit-remaining": `${remaining};${window}`,
      "docker-ratelimit-source": client,
    };
  }
}

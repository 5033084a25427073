/**
 * The delay before retry number `attempt` (0-based): a uniformly random time between zero and an
 * exponential ceiling (`baseMs` doubled per attempt, capped at `capMs`). That is "full jitter":
 * of the schemes compared, it spreads clients that failed together the most and does the least work.
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.round(random() * ceiling);
}

/** Reads `Retry-After` (seconds or an HTTP date) as milliseconds from `now`; undefined when absent. */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (text === undefined || text === "") return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Connection-level failures worth another try (resets, timeouts, a DNS hiccup). */
const transientCodes: ReadonlySet<string> = new Set(["ECONNRESET", "EPIPE", "ETIMEDOUT", "EAI_AGAIN"]);

/** The system error code of a failure, its own or its cause's (a wrapped socket error). */
export function errorCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 3 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Whether a connection-level failure is transient (retry) rather than permanent (refused, no such host). */
export function isTransientFailure(error: unknown): boolean {
  const code = errorCodeOf(error);
  return code !== undefined && transientCodes.has(code);
}

/** A failure's system code and message (`ECONNRESET: aborted`), for a message a user can act on. */
export function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" && !message.includes(code) ? `${code}: ${message}` : message;
}

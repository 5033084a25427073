import type { IncomingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { Agent, type Dispatcher, request } from "undici";
import { RegistryError, redactUrl } from "./errors.js";
import { isInsecureHost } from "./hosts.js";
import type { RateLimitAccount } from "./rate-limit.js";
import { backoffDelay, errorCodeOf, isTransientFailure, parseRetryAfter } from "./retry.js";
import type { RequestStats } from "./stats.js";

/** Settings of a Transport, already resolved (see resolveClientOptions in client.ts). */
export interface TransportOptions {
  readonly userAgent: string;
  readonly maxRetries: number;
  readonly retryBaseMs: number;
  readonly retryCapMs: number;
  readonly maxRetryAfterMs: number;
  readonly connectionsPerHost: number;
  readonly insecureHosts: readonly string[];
  readonly rateLimits: RateLimitAccount;
  readonly stats: RequestStats;
}

/** One HTTP request. `registry` is the registry it is made for (stats, rate limits, errors). */
export interface HttpRequest {
  readonly registry: string;
  readonly method: Dispatcher.HttpMethod;
  readonly url: URL;
  readonly headers?: Readonly<Record<string, string>>;
  /** A Readable is sent once and never retried; bytes may be sent again. */
  readonly body?: Uint8Array | Readable;
  /** Whether the request may be repeated after a 5xx, 429 or a reset (idempotent, replayable). */
  readonly retryable: boolean;
  readonly signal?: AbortSignal | undefined;
}

/** A response: the body must be consumed or dumped by the caller. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Dispatcher.ResponseData["body"];
  readonly url: URL;
}

/**
 * HTTP for the registry client: undici keep-alive pools per origin, bounded retries of 5xx,
 * resets and timeouts with capped exponential backoff and jitter, 429 waits bounded by
 * `maxRetryAfterMs`, and the ratelimit-* headers of every response recorded per registry.
 * TLS is verified except for insecure hosts.
 */
export class Transport {
  readonly #options: TransportOptions;
  readonly #verified: Agent;
  readonly #unverified: Agent;

  constructor(options: TransportOptions) {
    this.#options = options;
    // keep-alive: registries serve many small requests (HEADs) to one host; reuse connections.
    const common = { connections: options.connectionsPerHost, keepAliveTimeout: 30_000 };
    this.#verified = new Agent(common);
    this.#unverified = new Agent({ ...common, connect: { rejectUnauthorized: false } });
  }

  /**
   * Sends a request, retrying as configured. Returns the final response whatever its status
   * (after retries, a 5xx or 429 is the caller's to report); throws RegistryError when the
   * host cannot be reached.
   */
  async send(req: HttpRequest): Promise<HttpResponse> {
    const o = this.#options;
    for (let attempt = 0; ; attempt++) {
      req.signal?.throwIfAborted();
      const canRetry = req.retryable && attempt < o.maxRetries;
      let response: HttpResponse;
      try {
        response = await this.#sendOnce(req);
      } catch (error) {
        if (req.signal?.aborted) throw req.signal.reason ?? error;
        // The body stream failed (the source broke): that error, not the connection, is the story.
        if (req.body !== undefined && !(req.body instanceof Uint8Array) && req.body.errored)
          throw req.body.errored;
        if (canRetry && isTransientFailure(error)) {
          await this.#pause(req, backoffDelay(attempt, o.retryBaseMs, o.retryCapMs));
          continue;
        }
        throw unreachableError(req, error);
      }
      o.rateLimits.record(req.registry, response.headers);
      if (response.status === 429) o.stats.count(req.registry, "rateLimited");
      if (!canRetry || (response.status !== 429 && response.status < 500) || response.status === 501) {
        return response;
      }
      let delay = backoffDelay(attempt, o.retryBaseMs, o.retryCapMs);
      if (response.status === 429 || response.status === 503) {
        const retryAfter = parseRetryAfter(response.headers["retry-after"], Date.now());
        // A wait longer than the bound is not worth blocking on: report it instead.
        if (retryAfter !== undefined && retryAfter > o.maxRetryAfterMs) return response;
        if (retryAfter !== undefined) delay = retryAfter;
      }
      await response.body.dump().catch(() => undefined);
      await this.#pause(req, delay);
    }
  }

  async #pause(req: HttpRequest, ms: number): Promise<void> {
    this.#options.stats.count(req.registry, "retries");
    await sleep(ms, undefined, req.signal ? { signal: req.signal } : undefined);
  }

  async #sendOnce(req: HttpRequest): Promise<HttpResponse> {
    const insecure =
      req.url.protocol === "https:" && isInsecureHost(req.url.host, this.#options.insecureHosts);
    const headers: Record<string, string> = { "user-agent": this.#options.userAgent, ...req.headers };
    const response = await request(req.url, {
      dispatcher: insecure ? this.#unverified : this.#verified,
      method: req.method,
      headers,
      // undici closes the connection after every HEAD unless told otherwise, in case a broken server
      // sends a body (https://github.com/nodejs/undici/issues/258 upstream as mcollina/undici#258).
      // Registries answer HEAD correctly, and a no-op sync is almost all HEADs: keep the connection.
      reset: false,
      ...(req.body !== undefined ? { body: req.body } : {}),
      ...(req.signal !== undefined ? { signal: req.signal } : {}),
    });
    return { status: response.statusCode, headers: response.headers, body: response.body, url: req.url };
  }

  /** How many times a failed request is tried again (also bounds blob resumes). */
  get maxRetries(): number {
    return this.#options.maxRetries;
  }

  /** Closes every pooled connection. */
  async close(): Promise<void> {
    await Promise.all([this.#verified.close(), this.#unverified.close()]);
  }
}

/** A RegistryError for a request that got no HTTP answer, with a message a user can act on. */
function unreachableError(req: HttpRequest, error: unknown): RegistryError {
  const code = errorCodeOf(error);
  const host = req.url.host;
  const reason =
    code === "ENOTFOUND"
      ? `cannot resolve host name "${req.url.hostname}"`
      : code === "ECONNREFUSED"
        ? `connection to ${host} refused`
        : code !== undefined && /CERT|SELF_SIGNED|VERIFY|TLS|SSL|EPROTO/i.test(code)
          ? `TLS handshake with ${host} failed (${code}); for a self-signed or plain-HTTP registry use --insecure-registry ${req.registry}`
          : `request to ${host} failed (${code ?? (error instanceof Error ? error.message : String(error))})`;
  return new RegistryError({
    code: "UNREACHABLE",
    message: `registry ${req.registry} is unreachable: ${reason}`,
    host: req.registry,
    url: redactUrl(req.url),
    temporary: isTransientFailure(error),
    cause: error,
  });
}

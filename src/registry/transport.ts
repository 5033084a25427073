import http, { type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import https from "node:https";
import { pipeline, Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { RegistryError, redactUrl } from "./errors.js";
import type { HostStates } from "./host-state.js";
import { isInsecureHost } from "./hosts.js";
import type { RateLimitAccount } from "./rate-limit.js";
import { discardBody } from "./response.js";
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
  /** A request fails (ETIMEDOUT, retried when it may) after this long without a byte either way. */
  readonly idleTimeoutMs: number;
  readonly insecureHosts: readonly string[];
  readonly rateLimits: RateLimitAccount;
  readonly stats: RequestStats;
  /** Per-host backoff, shared by every request to a host. */
  readonly hosts: HostStates;
}

/** The HTTP methods the registry API uses. */
export type HttpMethod = "GET" | "HEAD" | "PUT" | "POST" | "PATCH" | "DELETE";

/** One HTTP request. `registry` is the registry it is made for (stats, rate limits, errors). */
export interface HttpRequest {
  readonly registry: string;
  readonly method: HttpMethod;
  readonly url: URL;
  readonly headers?: Readonly<Record<string, string>>;
  /** A Readable is sent once and never retried; bytes may be sent again. */
  readonly body?: Uint8Array | Readable;
  /** Whether the request may be repeated after a 5xx, 429 or a reset (idempotent, replayable). */
  readonly retryable: boolean;
  /**
   * A blob transfer: it goes through the host's bulk connection pool, so small requests (HEADs,
   * manifests, tag lists) never wait for a socket behind long transfers.
   */
  readonly bulk?: boolean;
  readonly signal?: AbortSignal | undefined;
}

/** A response: the body must be consumed or discarded (`discardBody`) by the caller. */
export interface HttpResponse {
  readonly status: number;
  /** Lower-case names; a header sent more than once (WWW-Authenticate) is an array. */
  readonly headers: IncomingHttpHeaders;
  readonly body: Readable;
  readonly url: URL;
}

/**
 * HTTP for the registry client: Node's own keep-alive connection pools per origin (node:http, whose
 * parser is native and already loaded: measured against undici, a no-op sync's 112 requests took
 * half the CPU and started 50 ms sooner, see bench/RESULTS.md), bounded retries of 5xx, resets and
 * timeouts with capped exponential backoff and full jitter, 429 waits bounded by `maxRetryAfterMs`,
 * and the ratelimit-* headers of every response recorded per registry. Per host: a 429 or 5xx
 * holds every request to that host for the backoff or the Retry-After (see HostState), and blob
 * transfers use a pool of their own, so small requests are never queued behind them. TLS is
 * verified except for insecure hosts.
 */
export class Transport {
  readonly #options: TransportOptions;
  readonly #small: Agents;
  readonly #bulk: Agents;

  constructor(options: TransportOptions) {
    this.#options = options;
    this.#small = createAgents(options.connectionsPerHost);
    this.#bulk = createAgents(options.connectionsPerHost);
  }

  /**
   * Sends a request, retrying as configured. Returns the final response whatever its status
   * (after retries, a 5xx or 429 is the caller's to report); throws RegistryError when the
   * host cannot be reached.
   */
  async send(req: HttpRequest): Promise<HttpResponse> {
    const o = this.#options;
    const stated = req.headers?.["content-length"];
    // Bytes that disagree with a stated Content-Length are an error, never a short upload.
    if (req.body instanceof Uint8Array && stated !== undefined && Number(stated) !== req.body.byteLength) {
      throw new RangeError(`request body is ${req.body.byteLength} bytes, Content-Length says ${stated}`);
    }
    const host = o.hosts.of(req.url.host);
    for (let attempt = 0; ; attempt++) {
      req.signal?.throwIfAborted();
      await host.ready(req.signal);
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
          await this.pauseBeforeRetry(req.registry, attempt, req.signal);
          continue;
        }
        throw unreachableError(req, error);
      }
      o.rateLimits.record(req.registry, response.headers);
      if (response.status === 429) o.stats.count(req.registry, "rateLimited");
      if ((response.status !== 429 && response.status < 500) || response.status === 501) return response;
      let delay = backoffDelay(attempt, o.retryBaseMs, o.retryCapMs);
      if (response.status === 429 || response.status === 503) {
        const retryAfter = parseRetryAfter(response.headers["retry-after"], Date.now());
        // A wait longer than the bound is not worth blocking on (nor holding the host for): report it.
        if (retryAfter !== undefined && retryAfter > o.maxRetryAfterMs) return response;
        if (retryAfter !== undefined) delay = retryAfter;
      }
      // The host said it is overloaded: every request to it waits, this one's retry and the
      // caller's own (a streamed upload sent again) included.
      host.backOff(delay);
      if (!canRetry) return response;
      await discardBody(response.body).catch(() => undefined);
      this.#options.stats.count(req.registry, "retries");
    }
  }

  /**
   * Counts a retry and waits the backoff of retry number `attempt` (0-based): for callers that
   * send a request again themselves (a body cut off after its response began).
   */
  async pauseBeforeRetry(registry: string, attempt: number, signal?: AbortSignal): Promise<void> {
    const o = this.#options;
    o.stats.count(registry, "retries");
    await sleep(
      backoffDelay(attempt, o.retryBaseMs, o.retryCapMs),
      undefined,
      signal ? { signal } : undefined,
    );
  }

  #sendOnce(req: HttpRequest): Promise<HttpResponse> {
    const url = req.url;
    const plain = url.protocol === "http:";
    const insecure = !plain && isInsecureHost(url.host, this.#options.insecureHosts);
    const headers: Record<string, string> = { "user-agent": this.#options.userAgent, ...req.headers };
    const agents = req.bulk === true ? this.#bulk : this.#small;
    if (req.body instanceof Uint8Array) headers["content-length"] = String(req.body.byteLength);
    return new Promise((resolve, reject) => {
      let answer: IncomingMessage | undefined;
      const outgoing = (plain ? http : https).request(
        url,
        {
          method: req.method,
          headers,
          agent: plain ? agents.plain : insecure ? agents.unverified : agents.verified,
          timeout: this.#options.idleTimeoutMs,
          ...(req.signal !== undefined ? { signal: req.signal } : {}),
        },
        (message) => {
          answer = message;
          resolve({ status: message.statusCode ?? 0, headers: headersOf(message), body: message, url });
        },
      );
      // Later errors (a reset mid-body) reach the body's reader; this only settles the first one.
      outgoing.on("error", reject);
      outgoing.on("timeout", () => {
        // An upload idle because its body has no bytes yet is waiting on the body's source (which
        // times out on its own and is blamed for it), not on this host.
        const body = req.body;
        if (body instanceof Readable && !body.readableEnded && !body.destroyed && !outgoing.writableNeedDrain)
          return;
        const error = Object.assign(
          new Error(`no data from ${url.host} for ${this.#options.idleTimeoutMs / 1000} s`),
          { code: "ETIMEDOUT" },
        );
        // Mid-body, the reader of the answer gets this error (the cause), not the socket's "aborted".
        answer?.destroy(error);
        outgoing.destroy(error);
      });
      if (req.body instanceof Readable) {
        // A failing body stream destroys the request, which rejects above; send() reports the body's error.
        pipeline(req.body, outgoing, () => undefined);
        return;
      }
      outgoing.end(req.body);
    });
  }

  /** How many times a failed request is tried again (also bounds blob resumes). */
  get maxRetries(): number {
    return this.#options.maxRetries;
  }

  /** Closes every pooled connection. */
  async close(): Promise<void> {
    for (const agents of [this.#small, this.#bulk]) {
      agents.plain.destroy();
      agents.verified.destroy();
      agents.unverified.destroy();
    }
  }
}

/** One keep-alive connection pool per scheme (and for unverified TLS). */
interface Agents {
  readonly plain: http.Agent;
  readonly verified: https.Agent;
  readonly unverified: https.Agent;
}

/** Pools of at most `connectionsPerHost` sockets per origin; keep-alive, since registries serve many small requests. */
function createAgents(connectionsPerHost: number): Agents {
  const common = { keepAlive: true, maxSockets: connectionsPerHost };
  return {
    plain: new http.Agent(common),
    verified: new https.Agent(common),
    unverified: new https.Agent({ ...common, rejectUnauthorized: false }),
  };
}

/**
 * A response's headers as the registry sent them: `headersDistinct` keeps a repeated header's
 * values apart (Node joins most of them with commas in `headers`, which would blur two
 * WWW-Authenticate challenges), and a header sent once is a plain string.
 */
function headersOf(message: IncomingMessage): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = {};
  for (const [name, values] of Object.entries(message.headersDistinct)) {
    if (values === undefined) continue;
    headers[name] = values.length === 1 ? values[0] : values;
  }
  return headers;
}

/** A RegistryError for a request that got no HTTP answer, with a message a user can act on. */
function unreachableError(req: HttpRequest, error: unknown): RegistryError {
  const code = errorCodeOf(error);
  const host = req.url.host;
  const stalled = code === "ETIMEDOUT" && error instanceof Error && error.message.startsWith("no data from");
  if (stalled || code === "ECONNRESET" || code === "EPIPE") {
    // Reached, then the connection broke or went quiet: say that, not "unreachable".
    return new RegistryError({
      code: "UNREACHABLE",
      message: stalled
        ? `registry ${req.registry} stopped answering: ${error.message} (ETIMEDOUT)`
        : `the connection to registry ${req.registry} was reset (${code})`,
      host: req.registry,
      url: redactUrl(req.url),
      temporary: true,
      cause: error,
    });
  }
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

import { Readable } from "node:stream";
import type { ErrorCode } from "../errors.js";
import type { Authenticator } from "./auth/authenticator.js";
import { RegistryError } from "./errors.js";
import type { EndpointResolver } from "./hosts.js";
import { discardBody, type ErrorContext } from "./response.js";
import type { RequestStats, StatName } from "./stats.js";
import type { HttpMethod, HttpResponse, Transport } from "./transport.js";

/** One registry API call, before auth and endpoint resolution. */
export interface RegistryCall {
  /** The registry (a reference's domain, such as `docker.io` or `127.0.0.1:5000`). */
  readonly registry: string;
  readonly method: HttpMethod;
  /** A path on the registry (`/v2/...` with its query), or an absolute URL (Location, Link). */
  readonly target: string | URL;
  /** The token scopes the call needs. */
  readonly scopes: readonly string[];
  readonly stat: StatName;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Uint8Array | Readable;
  /** Safe to repeat after 5xx/429/resets (idempotent, body replayable). */
  readonly retryable: boolean;
  /** Follow 3xx redirects (blob GETs go to storage hosts); Authorization only to the registry's origin. */
  readonly followRedirects?: boolean;
  /** A blob transfer (GET or upload body): sent through the host's bulk pool (see Transport). */
  readonly bulk?: boolean;
  readonly signal?: AbortSignal | undefined;
}

/** Redirect hops followed at most: storage redirects are one hop; a loop is an error. */
const maxRedirects = 5;

/**
 * Sends registry calls: resolves the origin (plain HTTP for loopback), adds Authorization for
 * the registry's own origin only, answers a 401 challenge once and sends again, and follows
 * redirects without credentials.
 */
export class RegistrySession {
  readonly #transport: Transport;
  readonly #auth: Authenticator;
  readonly #endpoints: EndpointResolver;
  readonly #stats: RequestStats;

  constructor(transport: Transport, auth: Authenticator, endpoints: EndpointResolver, stats: RequestStats) {
    this.#transport = transport;
    this.#auth = auth;
    this.#endpoints = endpoints;
    this.#stats = stats;
  }

  /** The counters, for operations that count bytes. */
  get stats(): RequestStats {
    return this.#stats;
  }

  /** How many times a failed request is tried again. */
  get maxRetries(): number {
    return this.#transport.maxRetries;
  }

  /** Counts a retry and waits its backoff (see Transport.pauseBeforeRetry). */
  pauseBeforeRetry(registry: string, attempt: number, signal?: AbortSignal): Promise<void> {
    return this.#transport.pauseBeforeRetry(registry, attempt, signal);
  }

  /** The registry's origin as currently resolved. */
  origin(registry: string): URL {
    return new URL(this.#endpoints.origin(registry));
  }

  /** The auth scheme the registry challenged with, or undefined when it asked for none (yet). */
  authScheme(registry: string): string | undefined {
    return this.#auth.scheme(registry);
  }

  /** Where the registry's credentials come from (never the secret). */
  describeCredentials(registry: string): string {
    return this.#auth.describe(registry);
  }

  /** The Authorization header the session would send to the registry for `scopes` (a cached token when it has one). */
  authorization(
    registry: string,
    scopes: readonly string[],
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    return this.#auth.authorization(registry, this.origin(registry), scopes, { signal });
  }

  /** Error context for a call (adds where the credentials came from to 401/403 messages). */
  context(registry: string, what: string, notFoundCode: ErrorCode): ErrorContext {
    const auth = this.#auth;
    return {
      registry,
      what,
      notFoundCode,
      // e.g. `credentials for ghcr.io from auths["ghcr.io"] in ~/.docker/config.json`, or where none were found
      authHint: auth.describe(registry),
      // Read when an error is made, not now: a context made before its request knows no secret yet.
      get secrets() {
        return auth.secretsSentTo(registry);
      },
    };
  }

  /** Sends a call; the response (any status) is the caller's to read or dump. */
  async send(call: RegistryCall): Promise<HttpResponse> {
    if (call.body instanceof Readable && !this.#auth.knows(call.registry)) {
      // A stream can be sent only once: learn the registry's challenge first.
      const probe = await this.#sendAuthorized({
        registry: call.registry,
        method: "GET",
        target: "/v2/",
        scopes: call.scopes,
        stat: "other",
        retryable: true,
        signal: call.signal,
      });
      await discardBody(probe.body).catch(() => undefined);
      if (probe.status !== 401) this.#auth.noteOpen(call.registry);
    }
    let response = await this.#sendAuthorized(call);
    for (let hop = 0; call.followRedirects === true && isRedirect(response.status); hop++) {
      const location = response.headers.location;
      await discardBody(response.body).catch(() => undefined);
      if (typeof location !== "string" || hop >= maxRedirects) {
        throw new RegistryError({
          code: "TOO_MANY_REDIRECTS",
          message: `${call.registry}: redirect without a location or more than ${maxRedirects} redirects`,
          host: call.registry,
          url: response.url.origin,
          status: response.status,
        });
      }
      const next = new URL(location, response.url);
      response = await this.#sendAuthorized({
        ...call,
        target: next,
        method: response.status === 303 ? "GET" : call.method,
      });
    }
    return response;
  }

  async #sendAuthorized(call: RegistryCall): Promise<HttpResponse> {
    const replayable = !(call.body instanceof Readable);
    for (let attempt = 0, fellBack = false; ; ) {
      const origin = this.origin(call.registry);
      const url = typeof call.target === "string" ? new URL(call.target, origin) : call.target;
      const own = url.origin === origin.origin;
      const authorization = own
        ? await this.#auth.authorization(call.registry, origin, call.scopes, {
            refresh: attempt > 0,
            signal: call.signal,
          })
        : undefined;
      const headers = { ...call.headers, ...(authorization !== undefined ? { authorization } : {}) };
      this.#stats.count(call.registry, call.stat);
      let response: HttpResponse;
      try {
        response = await this.#transport.send({
          registry: call.registry,
          method: call.method,
          url,
          headers,
          ...(call.body !== undefined ? { body: call.body } : {}),
          retryable: call.retryable,
          ...(call.bulk === true ? { bulk: true } : {}),
          signal: call.signal,
        });
      } catch (error) {
        const canFallBack = own && replayable && !fellBack && typeof call.target === "string";
        if (canFallBack && error instanceof RegistryError && this.#endpoints.fallBack(call.registry)) {
          fellBack = true;
          continue;
        }
        throw error;
      }
      if (own) this.#endpoints.confirm(call.registry);
      if (response.status === 401 && own && attempt === 0 && replayable) {
        if (this.#auth.learn(call.registry, response.headers["www-authenticate"])) {
          await discardBody(response.body).catch(() => undefined);
          attempt++;
          continue;
        }
      }
      return response;
    }
  }
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

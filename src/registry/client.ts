import type { Readable } from "node:stream";
import type { ErrorCode } from "../errors.js";
import type { Descriptor } from "../oci/manifest.js";
import type { Reference } from "../reference/reference.js";
import { version } from "../version.js";
import { Authenticator } from "./auth/authenticator.js";
import { deleteBlob, getBlob, headBlob } from "./blobs.js";
import { type AccessCheck, checkAccess } from "./check-access.js";
import type { CredentialSource } from "./credentials/types.js";
import { RegistryError } from "./errors.js";
import { HostStates } from "./host-state.js";
import { EndpointResolver } from "./hosts.js";
import { deleteManifest, getManifest, headManifest, putManifest } from "./manifests.js";
import { mountBlob } from "./mount.js";
import { RateLimitAccount, type RateLimitState } from "./rate-limit.js";
import { referrers } from "./referrers.js";
import { discardBody, errorFromResponse } from "./response.js";
import { RegistrySession } from "./session.js";
import { RequestStats } from "./stats.js";
import { catalog, listTags } from "./tags.js";
import { Transport } from "./transport.js";
import type {
  BlobReader,
  FetchedManifest,
  GetBlobOptions,
  ListOptions,
  ManifestInfo,
  PushBlobOptions,
  ReferrersOptions,
} from "./types.js";
import { pushBlob } from "./upload.js";

/** Options of a RegistryClient; every field is optional (see resolveClientOptions for defaults). */
export interface RegistryClientOptions {
  /** Plain HTTP (or unverified TLS) for these hosts; loopback is plain HTTP without it, as Docker does. */
  readonly insecureHosts?: readonly string[];
  /** Where credentials come from; default: none (anonymous). */
  readonly credentials?: CredentialSource;
  readonly userAgent?: string;
  /** Retries of a request after a 5xx, 429, reset or timeout. */
  readonly maxRetries?: number;
  /** The first backoff delay; it doubles per retry, with jitter. */
  readonly retryBaseMs?: number;
  /** The longest backoff delay between two retries. */
  readonly retryCapMs?: number;
  /** The longest Retry-After crossdock waits for; a longer one fails the request at once. */
  readonly maxRetryAfterMs?: number;
  /** Concurrent connections per origin, for blob transfers and for small requests each (two pools). */
  readonly connectionsPerHost?: number;
  /** How long a connection may go without a byte before its request fails (and is retried when it may). */
  readonly idleTimeoutMs?: number;
  /** PATCH chunk size for registries that refused a whole blob in one PUT (413). */
  readonly uploadChunkBytes?: number;
}

/** RegistryClientOptions with every default filled in. */
export type ResolvedClientOptions = Required<Omit<RegistryClientOptions, "credentials">> & {
  readonly credentials: CredentialSource | undefined;
};

/** The defaults, each with its reason, resolved in this one place. */
export function resolveClientOptions(options: RegistryClientOptions = {}): ResolvedClientOptions {
  return {
    insecureHosts: options.insecureHosts ?? [],
    // Anonymous unless the caller says where credentials come from: a library must not read ~/.docker by surprise.
    credentials: options.credentials,
    // Registries log it; Docker Hub support asks for it when a client misbehaves.
    userAgent: options.userAgent ?? `crossdock/${version} (+https://github.com/crossdock)`,
    // Four retries with backoff ride out a registry restart or a load balancer blip (~10 s) without hanging CI.
    maxRetries: options.maxRetries ?? 4,
    // Short enough that a single lost packet costs little, long enough not to hammer a struggling server.
    retryBaseMs: options.retryBaseMs ?? 250,
    // Keeps the total wait of maxRetries bounded (250, 500, 1000, 2000 ms with the defaults).
    retryCapMs: options.retryCapMs ?? 8_000,
    // Docker Hub answers 429 with Retry-After of hours when the 6-hour budget is spent: waiting that long is worse than failing.
    // https://docs.docker.com/docker-hub/usage/pulls/
    maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
    // Docker pulls 3 and pushes 5 layers at once; 8 leaves room for the HEADs and manifests beside them.
    connectionsPerHost: options.connectionsPerHost ?? 8,
    // A stalled registry or a dead peer, not a slow transfer: two minutes without a single byte.
    idleTimeoutMs: options.idleTimeoutMs ?? 120_000,
    // Under the 10-100 MB request limits of the proxies that answer 413, few enough requests per layer.
    uploadChunkBytes: options.uploadChunkBytes ?? 8 * 1024 * 1024,
  };
}

/**
 * An OCI distribution (v1.1) client: manifests, blobs, uploads, mounts, tags, catalog, referrers
 * and deletes against any registry, with challenge auth, retries, rate-limit accounting and
 * per-host counters. One client holds its pools, tokens and accounts; close() releases them.
 * https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md
 */
export class RegistryClient {
  /** Request counters per registry. */
  readonly stats: RequestStats = new RequestStats();
  readonly #rateLimits = new RateLimitAccount();
  readonly #transport: Transport;
  readonly #session: RegistrySession;
  readonly #uploadChunkBytes: number;
  /** Registries that refused a monolithic upload: uploads to them go in `#uploadChunkBytes` chunks. */
  readonly #chunkedRegistries = new Set<string>();

  constructor(options: RegistryClientOptions = {}) {
    const o = resolveClientOptions(options);
    this.#uploadChunkBytes = o.uploadChunkBytes;
    this.#transport = new Transport({
      userAgent: o.userAgent,
      maxRetries: o.maxRetries,
      retryBaseMs: o.retryBaseMs,
      retryCapMs: o.retryCapMs,
      maxRetryAfterMs: o.maxRetryAfterMs,
      connectionsPerHost: o.connectionsPerHost,
      idleTimeoutMs: o.idleTimeoutMs,
      insecureHosts: o.insecureHosts,
      rateLimits: this.#rateLimits,
      stats: this.stats,
      hosts: new HostStates(),
    });
    const auth = new Authenticator({
      transport: this.#transport,
      stats: this.stats,
      credentials: o.credentials,
      clientId: "crossdock",
    });
    this.#session = new RegistrySession(
      this.#transport,
      auth,
      new EndpointResolver(o.insecureHosts),
      this.stats,
    );
  }

  /** Checks that `registry` answers the v2 API (and that its credentials work, when it asks for them). */
  async ping(registry: string, signal?: AbortSignal): Promise<void> {
    const res = await this.#session.send({
      registry,
      method: "GET",
      target: "/v2/",
      scopes: [],
      stat: "other",
      retryable: true,
      signal,
    });
    if (res.status !== 200)
      throw await errorFromResponse(res, this.#session.context(registry, `ping ${registry}`, "UNSUPPORTED"));
    await discardBody(res.body);
  }

  /** What the registry grants on `repo` (pull, push), asked of its token server; writes nothing. */
  checkAccess(repo: Reference, signal?: AbortSignal): Promise<AccessCheck> {
    return checkAccess(this.#session, repo, signal);
  }

  /** Where the credentials for `registry` come from (never the secret). */
  describeCredentials(registry: string): string {
    return this.#session.describeCredentials(registry);
  }

  /** A manifest's digest, media type and size by HEAD, or undefined on 404. */
  headManifest(ref: Reference, signal?: AbortSignal): Promise<ManifestInfo | undefined> {
    return headManifest(this.#session, ref, signal);
  }

  /** A manifest's exact bytes, checked against ref.digest or Docker-Content-Digest. */
  getManifest(ref: Reference, signal?: AbortSignal): Promise<FetchedManifest> {
    return getManifest(this.#session, ref, signal);
  }

  /** Pushes a manifest's exact bytes under ref's tag or digest; returns the digest. */
  putManifest(ref: Reference, bytes: Uint8Array, mediaType: string, signal?: AbortSignal): Promise<string> {
    return putManifest(this.#session, ref, bytes, mediaType, signal);
  }

  /** A blob's size, or undefined when the repository lacks it. */
  headBlob(repo: Reference, digest: string, signal?: AbortSignal): Promise<number | undefined> {
    return headBlob(this.#session, repo, digest, signal);
  }

  /** A blob as a stream that errors instead of ending when its digest or size is wrong. */
  getBlob(repo: Reference, digest: string, options?: GetBlobOptions): Promise<BlobReader> {
    return getBlob(this.#session, repo, digest, options);
  }

  /**
   * Uploads a blob (streaming PUT, or PATCH chunks with `chunkSize`); a failed body commits nothing.
   * A registry that answers a whole-blob PUT with 413 gets chunks from then on; that refusal is a
   * temporary RegistryError, so the caller knows sending the blob again will work.
   */
  pushBlob(
    repo: Reference,
    digest: string,
    size: number,
    body: Readable | Uint8Array,
    options?: PushBlobOptions,
  ): Promise<void> {
    const chunkSize =
      options?.chunkSize ?? (this.#chunkedRegistries.has(repo.domain) ? this.#uploadChunkBytes : undefined);
    return pushBlob(this.#session, repo, digest, size, body, {
      ...options,
      ...(chunkSize !== undefined ? { chunkSize } : {}),
    }).catch((error: unknown) => {
      // A registry (or the proxy before it) that refuses a whole blob in one request wants chunks:
      // later uploads to it are chunked. The refused one fails; its caller can send it again.
      // https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#pushing-a-blob-in-chunks
      if (!(error instanceof RegistryError && error.status === 413 && chunkSize === undefined)) throw error;
      this.#chunkedRegistries.add(repo.domain);
      throw new RegistryError({
        code: error.code as ErrorCode, // a RegistryError's own code, passed on as it was
        message: `${error.message}; ${repo.domain} takes no whole blob in one request, so uploads to it now go in ${this.#uploadChunkBytes / 1024 / 1024} MiB chunks`,
        host: error.host,
        url: error.url,
        status: 413,
        errors: error.errors,
        temporary: true,
        cause: error,
      });
    });
  }

  /** Mounts a blob from another repository of the same registry; false means "upload it". */
  mountBlob(repo: Reference, digest: string, fromRepo: Reference, signal?: AbortSignal): Promise<boolean> {
    return mountBlob(this.#session, repo, digest, fromRepo, signal);
  }

  /** Every tag of a repository (all pages). */
  listTags(repo: Reference, options?: ListOptions): Promise<string[]> {
    return listTags(this.#session, repo, options);
  }

  /** Every repository of a registry's catalog (all pages). */
  catalog(registry: string, options?: ListOptions): Promise<string[]> {
    return catalog(this.#session, registry, options);
  }

  /** Referrers of a manifest, or undefined when the registry has no referrers API. */
  referrers(repo: Reference, digest: string, options?: ReferrersOptions): Promise<Descriptor[] | undefined> {
    return referrers(this.#session, repo, digest, options);
  }

  /** Deletes a manifest. */
  deleteManifest(ref: Reference, signal?: AbortSignal): Promise<void> {
    return deleteManifest(this.#session, ref, signal);
  }

  /** Deletes a blob. */
  deleteBlob(repo: Reference, digest: string, signal?: AbortSignal): Promise<void> {
    return deleteBlob(this.#session, repo, digest, signal);
  }

  /** The latest ratelimit-* state `registry` stated, from any response (HEAD included). */
  rateLimit(registry: string): RateLimitState | undefined {
    return this.#rateLimits.get(registry);
  }

  /** Closes the connection pools. */
  async close(): Promise<void> {
    await this.#transport.close();
  }
}

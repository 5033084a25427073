import type { Readable } from "node:stream";

/** What a manifest HEAD tells: enough to compare source and target without a GET. */
export interface ManifestInfo {
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
}

/** A fetched manifest: its exact bytes (a copy pushes these, so the digest stays), checked against its digest. */
export interface FetchedManifest extends ManifestInfo {
  readonly bytes: Uint8Array;
}

/**
 * A blob being read. `stream` checks the digest and size as the bytes flow and emits an error
 * (DigestMismatchError / SizeMismatchError) instead of ending when they do not match, so the
 * consumer must not commit what it wrote before the stream ends.
 */
export interface BlobReader {
  readonly size: number;
  readonly stream: Readable;
}

/** Options of getBlob. */
export interface GetBlobOptions {
  /** The size from the descriptor: a different Content-Length or byte count is an error. */
  readonly expectedSize?: number;
  readonly signal?: AbortSignal;
}

/** Options of pushBlob. */
export interface PushBlobOptions {
  /** Upload in PATCH chunks of this many bytes; unset: one streaming PUT. */
  readonly chunkSize?: number;
  readonly signal?: AbortSignal;
}

/** Options of listTags and catalog. */
export interface ListOptions {
  /** Entries per page (`n`); unset: the registry's default. */
  readonly pageSize?: number;
  readonly signal?: AbortSignal;
}

/** Options of referrers. */
export interface ReferrersOptions {
  /** Only referrers of this artifact type (filtered here when the registry does not). */
  readonly artifactType?: string;
  readonly signal?: AbortSignal;
}

import type { Readable } from "node:stream";
import { convertToOci } from "../oci/convert-to-oci.js";
import { sha256Digest } from "../oci/digest.js";
import type { Descriptor } from "../oci/manifest.js";
import { digestReference, type ManifestReference } from "../reference/manifest-reference.js";
import type { BlobReader, FetchedManifest, ManifestInfo, Repository } from "./types.js";

/**
 * A target that stores every manifest with OCI media types (`--format oci`): a Docker manifest or
 * manifest list pushed into it is rewritten as an OCI manifest or index on the way in, so its
 * digest changes; blobs pass through unchanged. Children come before their index (the copy
 * engine's order), so an index is rewritten to name its children's new digests. `converted`
 * records each change, source digest to the new descriptor, for the summary and the lock.
 * Readers such as containers/image before go.podman.io/image v5 skip index.json entries with Docker
 * media types: https://github.com/containers/image/blob/main/oci/layout/oci_transport.go
 */
export class OciFormatRepository implements Repository {
  readonly location: string;
  readonly storageKey: string;
  /** Source digest to what was written instead, for each manifest converted so far. */
  readonly converted = new Map<string, Descriptor>();
  readonly #inner: Repository;

  constructor(inner: Repository) {
    this.#inner = inner;
    this.location = inner.location;
    this.storageKey = inner.storageKey;
  }

  async putManifest(
    reference: ManifestReference,
    bytes: Uint8Array,
    mediaType: string,
    signal?: AbortSignal,
  ): Promise<void> {
    const converted = convertToOci(bytes, this.converted);
    if (converted === undefined) return await this.#inner.putManifest(reference, bytes, mediaType, signal);
    const original = reference.kind === "digest" ? reference.digest : sha256Digest(bytes);
    this.converted.set(original, {
      mediaType: converted.mediaType,
      digest: converted.digest,
      size: converted.bytes.length,
    });
    await this.#inner.putManifest(
      reference.kind === "digest" ? digestReference(converted.digest) : reference,
      converted.bytes,
      converted.mediaType,
      signal,
    );
  }

  headManifest(reference: ManifestReference, signal?: AbortSignal): Promise<ManifestInfo | undefined> {
    return this.#inner.headManifest(reference, signal);
  }
  getManifest(reference: ManifestReference, signal?: AbortSignal): Promise<FetchedManifest> {
    return this.#inner.getManifest(reference, signal);
  }
  headBlob(digest: string, signal?: AbortSignal): Promise<number | undefined> {
    return this.#inner.headBlob(digest, signal);
  }
  getBlob(digest: string, expectedSize: number, signal?: AbortSignal): Promise<BlobReader> {
    return this.#inner.getBlob(digest, expectedSize, signal);
  }
  pushBlob(digest: string, size: number, body: Readable, signal?: AbortSignal): Promise<void> {
    return this.#inner.pushBlob(digest, size, body, signal);
  }
  mountBlob(digest: string, from: Repository, signal?: AbortSignal): Promise<boolean> {
    return this.#inner.mountBlob(digest, from, signal);
  }
  listTags(signal?: AbortSignal): Promise<string[]> {
    return this.#inner.listTags(signal);
  }
  referrers(digest: string, signal?: AbortSignal): Promise<Descriptor[] | undefined> {
    return this.#inner.referrers(digest, signal);
  }
  async close(): Promise<void> {
    await this.#inner.close?.();
  }
}

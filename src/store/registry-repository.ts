import type { Readable } from "node:stream";
import type { Descriptor } from "../oci/manifest.js";
import type { ManifestReference } from "../reference/manifest-reference.js";
import type { Reference } from "../reference/reference.js";
import { repositoryOf, withDigest, withTag } from "../reference/reference.js";
import type { RegistryClient } from "../registry/client.js";
import type { BlobReader, FetchedManifest, ManifestInfo, Repository } from "./types.js";

/** A repository in a remote registry, through the shared RegistryClient (pools, tokens, rate limits). */
export class RegistryRepository implements Repository {
  readonly location: string;
  readonly storageKey: string;
  readonly ref: Reference;
  readonly #client: RegistryClient;

  constructor(client: RegistryClient, ref: Reference) {
    this.#client = client;
    this.ref = repositoryOf(ref);
    this.location = this.ref.name;
    this.storageKey = `registry:${ref.domain}`;
  }

  #at(reference: ManifestReference): Reference {
    return reference.kind === "digest"
      ? withDigest(this.ref, reference.digest)
      : withTag(this.ref, reference.tag);
  }

  headManifest(reference: ManifestReference, signal?: AbortSignal): Promise<ManifestInfo | undefined> {
    return this.#client.headManifest(this.#at(reference), signal);
  }

  getManifest(reference: ManifestReference, signal?: AbortSignal): Promise<FetchedManifest> {
    return this.#client.getManifest(this.#at(reference), signal);
  }

  async putManifest(
    reference: ManifestReference,
    bytes: Uint8Array,
    mediaType: string,
    signal?: AbortSignal,
  ): Promise<void> {
    await this.#client.putManifest(this.#at(reference), bytes, mediaType, signal);
  }

  headBlob(digest: string, signal?: AbortSignal): Promise<number | undefined> {
    return this.#client.headBlob(this.ref, digest, signal);
  }

  getBlob(digest: string, expectedSize: number, signal?: AbortSignal): Promise<BlobReader> {
    return this.#client.getBlob(this.ref, digest, { expectedSize, ...(signal ? { signal } : {}) });
  }

  pushBlob(digest: string, size: number, body: Readable, signal?: AbortSignal): Promise<void> {
    return this.#client.pushBlob(this.ref, digest, size, body, signal ? { signal } : {});
  }

  async mountBlob(digest: string, from: Repository, signal?: AbortSignal): Promise<boolean> {
    if (!(from instanceof RegistryRepository) || from.storageKey !== this.storageKey) return false;
    return await this.#client.mountBlob(this.ref, digest, from.ref, signal);
  }

  listTags(signal?: AbortSignal): Promise<string[]> {
    return this.#client.listTags(this.ref, signal ? { signal } : {});
  }

  referrers(digest: string, signal?: AbortSignal): Promise<Descriptor[] | undefined> {
    return this.#client.referrers(this.ref, digest, signal ? { signal } : {});
  }
}

import type { Readable } from "node:stream";
import type { Descriptor } from "../oci/manifest.js";
import type { ManifestReference } from "../reference/manifest-reference.js";

/** The manifest and blob shapes are the registry client's; every store returns the same. */
export type { BlobReader, FetchedManifest, ManifestInfo } from "../registry/types.js";

import type { BlobReader, FetchedManifest, ManifestInfo } from "../registry/types.js";

/**
 * One repository of images, wherever it lives: a registry repository, an OCI layout directory,
 * an OCI archive. The copy engine talks only to this interface (regclient's and crane's model).
 * A manifest is named by a ManifestReference: a tag or a digest.
 */
export interface Repository {
  /** Where this is, for messages and reports (`ghcr.io/kubeflow/katib/katib-ui`, `oci:/path`). */
  readonly location: string;
  /** Identifies the storage that blobs live in: equal keys mean a blob can be mounted across repositories. */
  readonly storageKey: string;
  headManifest(reference: ManifestReference, signal?: AbortSignal): Promise<ManifestInfo | undefined>;
  getManifest(reference: ManifestReference, signal?: AbortSignal): Promise<FetchedManifest>;
  putManifest(
    reference: ManifestReference,
    bytes: Uint8Array,
    mediaType: string,
    signal?: AbortSignal,
  ): Promise<void>;
  headBlob(digest: string, signal?: AbortSignal): Promise<number | undefined>;
  getBlob(digest: string, expectedSize: number, signal?: AbortSignal): Promise<BlobReader>;
  pushBlob(digest: string, size: number, body: Readable, signal?: AbortSignal): Promise<void>;
  /** Mounts a blob from another repository of the same storage; false when that did not happen. */
  mountBlob(digest: string, from: Repository, signal?: AbortSignal): Promise<boolean>;
  listTags(signal?: AbortSignal): Promise<string[]>;
  /** The manifests whose subject is `digest`; undefined when the store has no referrers API. */
  referrers(digest: string, signal?: AbortSignal): Promise<Descriptor[] | undefined>;
  /** Writes pending state (an OCI archive's tar) and releases resources. */
  close?(): Promise<void>;
}

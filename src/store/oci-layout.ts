import { createReadStream } from "node:fs";
import { mkdir, readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { addAbortSignal, pipeline, Readable } from "node:stream";
import { UsageError } from "../errors.js";
import { writeFileAtomically } from "../files/atomic-write.js";
import { removeStaleTempFiles } from "../files/stale-temp-files.js";
import { digestLike, sha256Digest } from "../oci/digest.js";
import { type Descriptor, type Manifest, ManifestError, parseManifest } from "../oci/manifest.js";
import { isNondistributableMediaType } from "../oci/media-types.js";
import {
  digestReference,
  formatManifestReference,
  type ManifestReference,
} from "../reference/manifest-reference.js";
import { isValidTag } from "../reference/reference.js";
import { createCheckedStream } from "./checked-stream.js";
import { OciLayoutError } from "./layout-errors.js";
import { blobPath, writeBlobAtomically } from "./layout-files.js";
import { LayoutIndex } from "./layout-index.js";
import type { BlobReader, FetchedManifest, ManifestInfo, Repository } from "./types.js";

/** Options of openOciLayout. */
export interface OpenOciLayoutOptions {
  /** Create the layout when `dir` does not exist or is empty (a copy's target); otherwise refuse. */
  readonly create: boolean;
}

/** The largest manifest read, as distribution limits them (and a layer is never mistaken for one). */
const maxManifestSize = 4 * 1024 * 1024;

/** The `oci-layout` file's content. https://github.com/opencontainers/image-spec/blob/main/image-layout.md#oci-layout-file */
const layoutFileContent = `{"imageLayoutVersion":"1.0.0"}`;

/**
 * Opens an OCI image layout directory as a Repository (or creates one when asked). Refuses, with a
 * UsageError, a directory that is not a layout, and will not create a layout in a non-empty one.
 * https://github.com/opencontainers/image-spec/blob/main/image-layout.md
 */
export async function openOciLayout(
  dir: string,
  options: OpenOciLayoutOptions,
): Promise<OciLayoutRepository> {
  const root = path.resolve(dir);
  const info = await stat(root).catch(() => undefined);
  if (info !== undefined && !info.isDirectory())
    throw new UsageError(`${dir} is not a directory, so not an OCI layout`);
  const version = await readFile(path.join(root, "oci-layout"), "utf8").catch(() => undefined);
  const index = new LayoutIndex(root);
  // What a killed run left (a half-written blob, an index being replaced) goes before anything is read.
  if (info !== undefined) {
    await removeStaleTempFiles(root);
    await index.removeDeadLock();
  }
  if (version !== undefined) {
    checkLayoutVersion(dir, version);
    if (!(await exists(path.join(root, "index.json")))) {
      if (!options.create) throw new UsageError(`${dir} is not a complete OCI layout: it has no index.json`);
      await index.create();
    }
  } else {
    if (!options.create) {
      throw new UsageError(`${dir} is not an OCI image layout (it has no oci-layout file)`, {
        code: "NOT_A_LAYOUT",
      });
    }
    if (info !== undefined && !(await isInterruptedCreation(root))) {
      throw new UsageError(`${dir} is neither an OCI layout nor empty: refusing to write a layout into it`, {
        code: "NOT_A_LAYOUT",
      });
    }
    await mkdir(path.join(root, "blobs"), { recursive: true });
    await index.create();
    // Written last: a directory whose creation was interrupted is not taken for a layout.
    await writeFileAtomically(path.join(root, "oci-layout"), Buffer.from(layoutFileContent));
  }
  return new OciLayoutRepository(root, `oci:${dir}`, index);
}

/**
 * An OCI image layout directory as a Repository: blobs in `blobs/<alg>/<hex>` (one blob store for
 * the whole layout), tags as index.json entries annotated with `org.opencontainers.image.ref.name`,
 * as skopeo writes them. Manifests pushed by digest (the children of an index) are blobs only.
 * There is no referrers API: the copy engine uses the `sha256-<hex>` fallback tag, a tag here.
 * Open one with openOciLayout.
 */
export class OciLayoutRepository implements Repository {
  readonly location: string;
  readonly storageKey: string;
  /** The layout's absolute path. */
  readonly root: string;
  readonly #index: LayoutIndex;

  /** Use openOciLayout, which checks or creates the layout first. */
  constructor(root: string, location: string, index: LayoutIndex = new LayoutIndex(root)) {
    this.root = root;
    this.location = location;
    this.storageKey = `oci:${root}`;
    this.#index = index;
  }

  async headManifest(reference: ManifestReference, signal?: AbortSignal): Promise<ManifestInfo | undefined> {
    signal?.throwIfAborted();
    if (reference.kind === "tag") {
      const entry = await this.#index.findTag(reference.tag);
      if (entry === undefined || (await this.headBlob(entry.digest)) === undefined) return undefined;
      return { digest: entry.digest, mediaType: entry.mediaType, size: entry.size };
    }
    const { digest } = reference;
    const size = await this.headBlob(digest);
    if (size === undefined) return undefined;
    const entry = await this.#index.findDigest(digest);
    if (entry !== undefined) return { digest, mediaType: entry.mediaType, size };
    if (size > maxManifestSize) return undefined;
    try {
      const bytes = await this.#readManifestBlob(digest, size);
      return { digest, mediaType: parseManifest(bytes, undefined).mediaType, size };
    } catch (error) {
      if (error instanceof ManifestError) return undefined; // a blob, not a manifest
      throw error;
    }
  }

  async getManifest(reference: ManifestReference, signal?: AbortSignal): Promise<FetchedManifest> {
    const info = await this.headManifest(reference, signal);
    if (info === undefined) {
      throw new OciLayoutError(
        "MANIFEST_UNKNOWN",
        `${this.location}: no manifest ${formatManifestReference(reference)}`,
      );
    }
    if (info.size > maxManifestSize) {
      throw new OciLayoutError(
        "MANIFEST_INVALID",
        `${this.location}: manifest ${info.digest} is larger than 4 MiB`,
      );
    }
    return { ...info, bytes: await this.#readManifestBlob(info.digest, info.size) };
  }

  async putManifest(
    reference: ManifestReference,
    bytes: Uint8Array,
    mediaType: string,
    signal?: AbortSignal,
  ): Promise<void> {
    signal?.throwIfAborted();
    if (reference.kind === "tag" && !isValidTag(reference.tag)) {
      throw new UsageError(`invalid tag "${reference.tag}" for ${this.location}`, { code: "INVALID_TAG" });
    }
    const digest = reference.kind === "tag" ? sha256Digest(bytes) : digestLike(reference.digest, bytes);
    if (reference.kind === "digest" && digest !== reference.digest) {
      throw new OciLayoutError(
        "DIGEST_INVALID",
        `manifest bytes have digest ${digest}, not ${reference.digest}`,
      );
    }
    await this.#checkManifest(digest, bytes, mediaType);
    if ((await this.headBlob(digest)) !== bytes.length) {
      await writeBlobAtomically(this.root, digest, bytes.length, Readable.from([Buffer.from(bytes)]), signal);
    }
    if (reference.kind === "tag")
      await this.#index.setTag(reference.tag, { mediaType, digest, size: bytes.length });
  }

  /**
   * Lists a manifest the layout holds (written by digest) in index.json without a tag, as skopeo
   * does for an image copied by digest; a manifest listed already is left alone.
   * https://github.com/opencontainers/image-spec/blob/main/image-layout.md#indexjson-file
   */
  async listUntagged(digest: string, signal?: AbortSignal): Promise<void> {
    const info = await this.headManifest(digestReference(digest), signal);
    if (info === undefined)
      throw new OciLayoutError("MANIFEST_UNKNOWN", `${this.location}: no manifest ${digest}`);
    await this.#index.addUntagged({ mediaType: info.mediaType, digest: info.digest, size: info.size });
  }

  async headBlob(digest: string, signal?: AbortSignal): Promise<number | undefined> {
    signal?.throwIfAborted();
    const info = await stat(blobPath(this.root, digest)).catch(() => undefined);
    return info?.isFile() ? info.size : undefined;
  }

  async getBlob(digest: string, expectedSize: number, signal?: AbortSignal): Promise<BlobReader> {
    const size = await this.headBlob(digest, signal);
    if (size === undefined) throw new OciLayoutError("BLOB_UNKNOWN", `${this.location}: no blob ${digest}`);
    if (size !== expectedSize) {
      throw new OciLayoutError(
        "SIZE_INVALID",
        `${this.location}: blob ${digest} has ${size} bytes, expected ${expectedSize}`,
      );
    }
    const checked = createCheckedStream(digest, size, `${this.location}: blob ${digest}`);
    // pipeline destroys the checked stream with the file's error, and the file when the reader stops early.
    pipeline(createReadStream(blobPath(this.root, digest)), checked, () => {});
    if (signal) addAbortSignal(signal, checked);
    return { size, stream: checked };
  }

  async pushBlob(digest: string, size: number, body: Readable, signal?: AbortSignal): Promise<void> {
    await writeBlobAtomically(this.root, digest, size, body, signal);
  }

  /** One blob store per layout: "mounting" succeeds exactly when the layout already holds the blob. */
  async mountBlob(digest: string, _from: Repository, signal?: AbortSignal): Promise<boolean> {
    return (await this.headBlob(digest, signal)) !== undefined;
  }

  async listTags(signal?: AbortSignal): Promise<string[]> {
    signal?.throwIfAborted();
    return await this.#index.tags();
  }

  /** A layout has no referrers API: callers fall back to the `sha256-<hex>` tag. */
  async referrers(_digest: string, _signal?: AbortSignal): Promise<Descriptor[] | undefined> {
    return undefined;
  }

  /** Waits for pending index.json updates. */
  async close(): Promise<void> {
    await this.#index.idle();
  }

  async #readManifestBlob(digest: string, size: number): Promise<Uint8Array> {
    const bytes = await readFile(blobPath(this.root, digest));
    if (bytes.length !== size || digestLike(digest, bytes) !== digest) {
      throw new OciLayoutError("DIGEST_INVALID", `${this.location}: manifest blob ${digest} is corrupt`);
    }
    return bytes;
  }

  /**
   * Refuses what a registry refuses: bytes that are no manifest, a body whose own mediaType differs
   * from the one given, and a manifest that names content the layout lacks (so a tag never points
   * at an incomplete image). https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-manifests
   */
  async #checkManifest(digest: string, bytes: Uint8Array, mediaType: string): Promise<void> {
    let manifest: Manifest;
    try {
      manifest = parseManifest(bytes, mediaType);
    } catch (error) {
      throw new OciLayoutError("MANIFEST_INVALID", `manifest ${digest}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (manifest.mediaType !== mediaType) {
      throw new OciLayoutError(
        "MANIFEST_INVALID",
        `manifest ${digest} says ${manifest.mediaType}, pushed as ${mediaType}`,
      );
    }
    const needed =
      manifest.kind === "index"
        ? manifest.manifests
        : [manifest.config, ...manifest.layers.filter((l) => !isNondistributableMediaType(l.mediaType))];
    for (const descriptor of needed) {
      if ((await this.headBlob(descriptor.digest)) === undefined) {
        throw new OciLayoutError(
          "MANIFEST_BLOB_UNKNOWN",
          `${this.location}: manifest ${digest} names ${descriptor.digest}, which the layout lacks (push it first)`,
        );
      }
    }
  }
}

function checkLayoutVersion(dir: string, content: string): void {
  let version: unknown;
  try {
    version = (JSON.parse(content) as Record<string, unknown>)["imageLayoutVersion"];
  } catch {
    version = undefined;
  }
  if (typeof version !== "string" || !version.startsWith("1.")) {
    throw new UsageError(`${dir}/oci-layout: unsupported imageLayoutVersion (expected 1.x)`, {
      code: "NOT_A_LAYOUT",
    });
  }
}

async function exists(file: string): Promise<boolean> {
  return (await stat(file).catch(() => undefined)) !== undefined;
}

/**
 * Whether a directory holds nothing, or only what a creation killed before its last step wrote (an
 * empty `blobs/` and index.json, without the `oci-layout` file that is written last).
 */
async function isInterruptedCreation(root: string): Promise<boolean> {
  const entries = await readdir(root);
  if (!entries.every((name) => name === "blobs" || name === "index.json")) return false;
  return !entries.includes("blobs") || (await readdir(path.join(root, "blobs"))).length === 0;
}

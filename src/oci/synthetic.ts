import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { sha256Digest } from "./digest.js";
import type { Descriptor, Platform } from "./manifest.js";
import { MediaType } from "./media-types.js";

/** A blob with its bytes and descriptor fields. */
export interface BlobData {
  readonly digest: string;
  readonly size: number;
  readonly mediaType: string;
  readonly bytes: Uint8Array;
}

/** A manifest with its exact bytes. */
export interface ManifestData {
  readonly digest: string;
  readonly size: number;
  readonly mediaType: string;
  readonly bytes: Uint8Array;
  readonly platform?: Platform;
}

/** An image to push: blobs first, then manifests children before parents; `root` is the last manifest. */
export interface SyntheticImage {
  readonly blobs: readonly BlobData[];
  readonly manifests: readonly ManifestData[];
  readonly root: ManifestData;
}

/** Options for createSyntheticImage. */
export interface SyntheticImageOptions {
  /** Makes every byte deterministic: the same seed gives the same digests. */
  readonly seed: string;
  /** Platforms of the index; one platform and `index: false` gives a single manifest. */
  readonly platforms?: readonly Platform[];
  readonly index?: boolean;
  /** Sizes of the uncompressed layer payloads unique to this image (per platform). */
  readonly layerSizes?: readonly number[];
  /** Layers shared with other images, placed first (such as a common base layer). */
  readonly sharedLayers?: readonly BlobData[];
  /** OCI (default) or Docker v2 media types. */
  readonly format?: "oci" | "docker";
}

/** Deterministic pseudo-random bytes: sha256 in counter mode over the seed. */
export function pseudoRandomBytes(seed: string, size: number): Uint8Array {
  const out = Buffer.allocUnsafe(size);
  let offset = 0;
  for (let counter = 0; offset < size; counter++) {
    const block = createHash("sha256").update(`${seed}/${counter}`).digest();
    offset += block.copy(out, offset);
  }
  return out;
}

/** A gzip-compressed layer whose payload is `size` pseudo-random bytes; `diffId` is the payload's digest. */
export function createLayer(
  seed: string,
  size: number,
  format: "oci" | "docker" = "oci",
): BlobData & { diffId: string } {
  const payload = pseudoRandomBytes(seed, size);
  const bytes = gzipSync(payload, { level: 1 });
  return {
    digest: sha256Digest(bytes),
    size: bytes.length,
    mediaType: format === "oci" ? MediaType.ociLayerGzip : MediaType.dockerLayerGzip,
    bytes,
    diffId: sha256Digest(payload),
  };
}

function toBlob(bytes: Uint8Array, mediaType: string): BlobData {
  return { digest: sha256Digest(bytes), size: bytes.length, mediaType, bytes };
}

function toManifest(value: unknown, mediaType: string, platform?: Platform): ManifestData {
  const bytes = Buffer.from(JSON.stringify(value, null, 2));
  return {
    digest: sha256Digest(bytes),
    size: bytes.length,
    mediaType,
    bytes,
    ...(platform ? { platform } : {}),
  };
}

function descriptorOf(data: BlobData | ManifestData): Descriptor {
  return { mediaType: data.mediaType, digest: data.digest, size: data.size };
}

/**
 * Builds a synthetic image: per platform a config and layers (shared ones first), a manifest, and
 * (by default) an index over the platforms. Layers are real gzip streams and the config names
 * their diff IDs, so other clients (skopeo) accept the image as it is.
 */
export function createSyntheticImage(options: SyntheticImageOptions): SyntheticImage {
  const format = options.format ?? "oci";
  const platforms = options.platforms ?? [
    { os: "linux", architecture: "amd64" },
    { os: "linux", architecture: "arm64" },
  ];
  const useIndex = options.index ?? true;
  const blobs = new Map<string, BlobData>();
  const manifests: ManifestData[] = [];
  for (const platform of useIndex ? platforms : platforms.slice(0, 1)) {
    const platformKey = `${options.seed}/${platform.os}/${platform.architecture}/${platform.variant ?? ""}`;
    const own = (options.layerSizes ?? [1024]).map((size, i) =>
      createLayer(`${platformKey}/layer${i}`, size, format),
    );
    const shared = (options.sharedLayers ?? []).map((layer) => ({
      ...layer,
      diffId: (layer as Partial<{ diffId: string }>).diffId ?? layer.digest,
    }));
    const layers = [...shared, ...own];
    const config = toBlob(
      Buffer.from(
        JSON.stringify({
          architecture: platform.architecture,
          os: platform.os,
          ...(platform.variant ? { variant: platform.variant } : {}),
          config: { Labels: { "crossdock.seed": options.seed } },
          rootfs: { type: "layers", diff_ids: layers.map((layer) => layer.diffId) },
        }),
      ),
      format === "oci" ? MediaType.ociConfig : MediaType.dockerConfig,
    );
    for (const blob of [config, ...layers]) blobs.set(blob.digest, blob);
    const mediaType = format === "oci" ? MediaType.ociManifest : MediaType.dockerManifest;
    manifests.push(
      toManifest(
        { schemaVersion: 2, mediaType, config: descriptorOf(config), layers: layers.map(descriptorOf) },
        mediaType,
        platform,
      ),
    );
  }
  if (!useIndex) return { blobs: [...blobs.values()], manifests, root: manifests[0]! };
  const indexType = format === "oci" ? MediaType.ociIndex : MediaType.dockerManifestList;
  const index = toManifest(
    {
      schemaVersion: 2,
      mediaType: indexType,
      manifests: manifests.map((m) => ({ ...descriptorOf(m), platform: m.platform })),
    },
    indexType,
  );
  return { blobs: [...blobs.values()], manifests: [...manifests, index], root: index };
}

/**
 * A cosign-style signature artifact for a digest: an OCI manifest with an empty config and one
 * small layer, and `subject` pointing at the signed manifest (so it is also a referrer).
 */
export function createSignature(subject: ManifestData | Descriptor, seed: string): SyntheticImage {
  const config = toBlob(Buffer.from("{}"), MediaType.ociEmpty);
  const payload = toBlob(
    Buffer.from(JSON.stringify({ critical: { image: { "docker-manifest-digest": subject.digest } }, seed })),
    "application/vnd.dev.cosign.simplesigning.v1+json",
  );
  const manifest = toManifest(
    {
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      artifactType: "application/vnd.dev.cosign.artifact.sig.v1+json",
      config: descriptorOf(config),
      layers: [
        { ...descriptorOf(payload), annotations: { "dev.cosignproject.cosign/signature": "c2lnbmF0dXJl" } },
      ],
      subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    },
    MediaType.ociManifest,
  );
  return { blobs: [config, payload], manifests: [manifest], root: manifest };
}

/** The cosign tag that names a signature of `digest` (`sha256-<hex>.sig`); also `.att` and `.sbom`. */
export function cosignTag(digest: string, suffix: "sig" | "att" | "sbom"): string {
  return `${digest.replace(":", "-")}.${suffix}`;
}

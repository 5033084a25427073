import { sha256Digest } from "./digest.js";
import type { Descriptor } from "./manifest.js";
import { MediaType } from "./media-types.js";

/**
 * Docker's image manifest v2 media types and their OCI equivalents, as skopeo's
 * `--format oci` maps them (the blobs' bytes stay the same; only the names change).
 * https://github.com/opencontainers/image-spec/blob/main/media-types.md#compatibility-matrix
 */
const ociEquivalent: Readonly<Record<string, string>> = {
  [MediaType.dockerManifestList]: MediaType.ociIndex,
  [MediaType.dockerManifest]: MediaType.ociManifest,
  [MediaType.dockerConfig]: MediaType.ociConfig,
  [MediaType.dockerLayerGzip]: MediaType.ociLayerGzip,
  "application/vnd.docker.image.rootfs.diff.tar": MediaType.ociLayer,
  [MediaType.dockerForeignLayer]: MediaType.ociLayerNondistributableGzip,
};

/** Whether a media type is one of Docker's that has an OCI equivalent. */
export function isDockerMediaType(mediaType: string): boolean {
  return ociEquivalent[mediaType] !== undefined;
}

/** A manifest converted to OCI media types: its new bytes, digest and media type. */
export interface ConvertedManifest {
  readonly bytes: Uint8Array;
  readonly digest: string;
  readonly mediaType: string;
}

/**
 * Rewrites a Docker manifest or manifest list with OCI media types (manifest, config, layers, and
 * each child of a list, whose new descriptor `children` gives when the child was converted too).
 * Every other field is kept. Returns undefined for a manifest that has no Docker media type, so
 * its bytes, and its digest, stay as they are.
 */
export function convertToOci(
  bytes: Uint8Array,
  children: ReadonlyMap<string, Descriptor> = new Map(),
): ConvertedManifest | undefined {
  const body = JSON.parse(Buffer.from(bytes).toString("utf8")) as Record<string, unknown>;
  let changed = false;
  const rename = (descriptor: Descriptor): Descriptor => {
    const replaced = children.get(descriptor.digest);
    if (replaced !== undefined) {
      changed = true;
      return { ...descriptor, mediaType: replaced.mediaType, digest: replaced.digest, size: replaced.size };
    }
    const mediaType = ociEquivalent[descriptor.mediaType];
    if (mediaType === undefined) return descriptor;
    changed = true;
    return { ...descriptor, mediaType };
  };
  const ownType = typeof body["mediaType"] === "string" ? ociEquivalent[body["mediaType"]] : undefined;
  if (ownType !== undefined) {
    body["mediaType"] = ownType;
    changed = true;
  }
  if (Array.isArray(body["manifests"])) body["manifests"] = (body["manifests"] as Descriptor[]).map(rename);
  if (typeof body["config"] === "object" && body["config"] !== null)
    body["config"] = rename(body["config"] as Descriptor);
  if (Array.isArray(body["layers"])) body["layers"] = (body["layers"] as Descriptor[]).map(rename);
  if (!changed) return undefined;
  const converted = Buffer.from(JSON.stringify(body, null, 2));
  const mediaType = typeof body["mediaType"] === "string" ? body["mediaType"] : MediaType.ociManifest;
  return { bytes: converted, digest: sha256Digest(converted), mediaType };
}

import { formatPlatform, type Manifest, parseManifest } from "../oci/manifest.js";
import { MediaType } from "../oci/media-types.js";
import { type Reference, withDigest } from "../reference/reference.js";
import type { RegistryClient } from "./client.js";

/** One platform of an image: its manifest and the size of what it pulls. */
export interface PlatformSummary {
  /** `os/arch[/variant]`, or `unknown` for an index entry without a platform (attestations). */
  readonly platform: string;
  readonly digest: string;
  readonly mediaType: string;
  /** Config plus layers of this platform's manifest. */
  readonly size: number;
}

/** What `crossdock inspect` shows. */
export interface ImageSummary {
  readonly digest: string;
  readonly mediaType: string;
  /** The top manifest's own size in bytes. */
  readonly manifestSize: number;
  readonly platforms: readonly PlatformSummary[];
  /** Every distinct manifest, config and layer of the image, counted once. */
  readonly totalSize: number;
}

/**
 * Summarises an image: the top manifest, and for an index each platform's manifest (one GET
 * each, by digest). Sizes count each distinct blob once.
 */
export async function inspectImage(
  client: RegistryClient,
  ref: Reference,
  signal?: AbortSignal,
): Promise<ImageSummary> {
  const top = await client.getManifest(ref, signal);
  const parsed = parseManifest(top.bytes, top.mediaType);
  const sizes = new Map<string, number>([[top.digest, top.size]]);
  const platforms: PlatformSummary[] = [];
  if (parsed.kind === "image") {
    platforms.push({
      platform: await platformOfConfig(client, ref, parsed, signal),
      digest: top.digest,
      mediaType: top.mediaType,
      size: blobSizes(parsed, sizes),
    });
  } else {
    for (const entry of parsed.manifests) {
      const child = await client.getManifest(withDigest(ref, entry.digest), signal);
      sizes.set(child.digest, child.size);
      const manifest = parseManifest(child.bytes, child.mediaType);
      platforms.push({
        platform: entry.platform !== undefined ? formatPlatform(entry.platform) : "unknown",
        digest: child.digest,
        mediaType: child.mediaType,
        size: manifest.kind === "image" ? blobSizes(manifest, sizes) : 0,
      });
    }
  }
  let totalSize = 0;
  for (const size of sizes.values()) totalSize += size;
  return { digest: top.digest, mediaType: top.mediaType, manifestSize: top.size, platforms, totalSize };
}

/** Sums config and layers of an image manifest, recording each in `sizes` (dedupe by digest). */
function blobSizes(manifest: Manifest & { kind: "image" }, sizes: Map<string, number>): number {
  let sum = 0;
  for (const d of [manifest.config, ...manifest.layers]) {
    sizes.set(d.digest, d.size);
    sum += d.size;
  }
  return sum;
}

/** Image configs are small JSON; anything bigger is not read for a platform name. */
const configReadLimit = 1024 * 1024;

/** A single manifest names no platform; its config does (`os`, `architecture`, `variant`). */
async function platformOfConfig(
  client: RegistryClient,
  ref: Reference,
  manifest: Manifest & { kind: "image" },
  signal: AbortSignal | undefined,
): Promise<string> {
  const config = manifest.config;
  if (!isImageConfig(config.mediaType) || config.size > configReadLimit) return "unknown";
  const blob = await client.getBlob(ref, config.digest, {
    expectedSize: config.size,
    ...(signal !== undefined ? { signal } : {}),
  });
  const chunks: Buffer[] = [];
  for await (const chunk of blob.stream) chunks.push(chunk as Buffer);
  const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
  const os = typeof body["os"] === "string" ? body["os"] : undefined;
  const architecture = typeof body["architecture"] === "string" ? body["architecture"] : undefined;
  if (os === undefined || architecture === undefined) return "unknown";
  const variant = typeof body["variant"] === "string" ? body["variant"] : undefined;
  return formatPlatform({ os, architecture, ...(variant !== undefined ? { variant } : {}) });
}

function isImageConfig(mediaType: string): boolean {
  return mediaType === MediaType.ociConfig || mediaType === MediaType.dockerConfig;
}

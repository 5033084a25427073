import { formatPlatform, type IndexManifest, parseManifest } from "../oci/manifest.js";
import { isIndexMediaType } from "../oci/media-types.js";
import { type Reference, withDigest } from "../reference/reference.js";
import type { RegistryClient } from "../registry/client.js";
import type { ManifestInfo } from "../registry/types.js";

/**
 * The platforms of an image as `os/arch[/variant]`, sorted: an index's children (its body is the
 * only place they are written, so this is the one manifest GET verify makes), or undefined for a
 * single-platform image. buildx's attestation entries (`unknown/unknown`) are not platforms.
 */
export async function readPlatforms(
  client: RegistryClient,
  ref: Reference,
  info: ManifestInfo,
  signal?: AbortSignal,
): Promise<string[] | undefined> {
  if (!isIndexMediaType(info.mediaType)) return undefined;
  const fetched = await client.getManifest(withDigest(ref, info.digest), signal);
  const manifest = parseManifest(fetched.bytes, fetched.mediaType);
  return manifest.kind === "index" ? platformsOf(manifest) : undefined;
}

/** The platforms an index names, sorted and without repeats or attestation entries. */
export function platformsOf(index: IndexManifest): string[] {
  const platforms = new Set<string>();
  for (const child of index.manifests) {
    if (child.platform === undefined) continue;
    const text = formatPlatform(child.platform);
    if (text !== "unknown/unknown") platforms.add(text);
  }
  return [...platforms].sort();
}

/**
 * Why the target's platforms differ from the source's, or undefined when they agree. `undefined`
 * on either side means a single-platform image (whose one platform only its config blob names).
 */
export function describePlatformDifference(
  source: readonly string[] | undefined,
  target: readonly string[] | undefined,
): string | undefined {
  if (source === undefined && target === undefined) return undefined;
  if (target === undefined) {
    return `the target is a single-platform image where the source is an index of ${source?.join(", ")}: pulls on the other platforms fail`;
  }
  if (source === undefined) {
    return `the target is an index of ${target.join(", ")} where the source is a single-platform image`;
  }
  const lacking = source.filter((p) => !target.includes(p));
  const extra = target.filter((p) => !source.includes(p));
  if (lacking.length === 0 && extra.length === 0) return undefined;
  const parts = [
    ...(lacking.length > 0 ? [`the target lacks ${lacking.join(", ")}`] : []),
    ...(extra.length > 0 ? [`the target has ${extra.join(", ")} that the source has not`] : []),
  ];
  return `${parts.join("; ")} (source: ${source.join(", ")}; target: ${target.join(", ")})`;
}

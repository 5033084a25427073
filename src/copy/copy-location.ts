import { checkDigest } from "../reference/reference.js";
import { noteDockerMediaTypes } from "../store/layout-readers.js";
import { OciArchiveRepository } from "../store/oci-archive.js";
import { OciLayoutRepository } from "../store/oci-layout.js";
import type { OpenedLocation } from "../store/open-repository.js";
import { type CopyAsOciResult, copyImageAsOci } from "./copy-as-oci.js";
import { type CopyImageOptions, type CopyImageResult, copyImage } from "./copy-image.js";

/** Options of copyLocation: copyImage's, less where to tag (the target location says), and the format. */
export interface CopyLocationOptions extends Omit<CopyImageOptions, "targetReference"> {
  /** `oci`: store Docker manifests with OCI media types (the digest changes); default byte for byte. */
  readonly format?: "oci";
}

/**
 * `crossdock copy SRC DST` as one call: copies `reference` from one opened location (a registry,
 * an OCI layout, an archive) to another, under the target's tag or else the same reference. An
 * image copied by digest into a layout or archive is listed in its index.json, where readers start;
 * one written byte for byte into a layout carries the note on readers that skip Docker media types.
 */
export async function copyLocation(
  source: OpenedLocation,
  target: OpenedLocation,
  reference: string,
  options: CopyLocationOptions,
): Promise<CopyImageResult | CopyAsOciResult> {
  const copy = options.format === "oci" ? copyImageAsOci : copyImage;
  const result = await copy(source.repository, target.repository, reference, {
    ...options,
    targetReference: target.reference ?? reference,
  });
  const layout = target.repository;
  const byDigest = target.reference === undefined && checkDigest(reference) === undefined;
  if (byDigest && (layout instanceof OciLayoutRepository || layout instanceof OciArchiveRepository)) {
    await layout.listUntagged(result.digest);
  }
  const note =
    target.registryRef === undefined && options.format !== "oci"
      ? noteDockerMediaTypes(result.mediaType, layout.location)
      : undefined;
  return note === undefined ? result : { ...result, warnings: [...result.warnings, note] };
}

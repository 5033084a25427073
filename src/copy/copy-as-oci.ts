import { parseManifestReference } from "../reference/manifest-reference.js";
import { OciFormatRepository } from "../store/oci-format.js";
import type { Repository } from "../store/types.js";
import { copyOrNoteAttachments } from "./attachments.js";
import { attachmentCopier, type CopyImageOptions, type CopyImageResult, copyImage } from "./copy-image.js";

/** A copy with `--format oci`: what it did, and the digest change when it converted. */
export interface CopyAsOciResult extends CopyImageResult {
  /** The root's digest before and after conversion; absent when the image had OCI media types already. */
  readonly converted?: { readonly from: string; readonly to: string };
}

/**
 * Copies one image as copyImage does, but stores Docker manifests and manifest lists with OCI
 * media types (see OciFormatRepository), for readers that take only those. The converted image
 * has a new digest, so what signs or attests the original stays behind, and the result says so;
 * an image that needed no conversion keeps its digest and its attachments come along.
 */
export async function copyImageAsOci(
  source: Repository,
  target: Repository,
  reference: string,
  options: CopyImageOptions,
): Promise<CopyAsOciResult> {
  const converting = new OciFormatRepository(target);
  const targetReference = parseManifestReference(options.targetReference ?? reference);
  const before =
    options.targetInfo === null
      ? undefined
      : (options.targetInfo ?? (await target.headManifest(targetReference, options.signal)));
  const result = await copyImage(source, converting, reference, {
    ...options,
    targetInfo: before ?? null,
    referrers: false,
  });
  const converted = converting.converted.get(result.digest);
  const digest = converted?.digest ?? result.digest;
  const warnings = [...result.warnings];
  const { attachments, note } = await copyOrNoteAttachments(
    options.session,
    source,
    target,
    result.sourceDigest,
    digest,
    attachmentCopier(source, target, options.session, options.signal),
    options,
  );
  if (note !== undefined) warnings.push(note);
  if (converted !== undefined) {
    warnings.push(
      `converted to OCI media types: the digest changes from ${result.digest} to ${converted.digest}`,
    );
  }
  return {
    ...result,
    // The target had the converted image already: nothing changed there.
    status: before?.digest === digest ? "in-sync" : result.status,
    digest,
    mediaType: converted?.mediaType ?? result.mediaType,
    attachments,
    warnings,
    ...(converted !== undefined ? { converted: { from: result.digest, to: converted.digest } } : {}),
  };
}

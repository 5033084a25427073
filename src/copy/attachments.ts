import { type Descriptor, parseManifest } from "../oci/manifest.js";
import { MediaType } from "../oci/media-types.js";
import { tagReference } from "../reference/manifest-reference.js";
import type { ManifestInfo, Repository } from "../store/types.js";
import type { CopySession } from "./session.js";

/** cosign's tag suffixes for signatures, attestations and SBOMs. https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md */
const cosignSuffixes = ["sig", "att", "sbom"] as const;

/** Whether a tag only exists to attach something to a digest (cosign tags, the referrers fallback tag). */
export function isAttachmentTag(tag: string): boolean {
  return /^sha256-[a-f0-9]{64}(\.(sig|att|sbom))?$/.test(tag);
}

/** Where attachment lookups can be answered without a request. */
export interface AttachmentHints {
  /** Every tag of the source repository, when the caller listed them (sync does): tag checks cost nothing. */
  readonly sourceTags?: ReadonlySet<string>;
}

/** What is attached to a digest: attachment digest to the tag it is copied under (none for referrers-API-only ones). */
export interface FoundAttachments {
  readonly byDigest: ReadonlyMap<string, string | undefined>;
  /** What the source's referrers API answered; undefined when it has none. */
  readonly referrers: readonly Descriptor[] | undefined;
}

/**
 * Copies one attachment image (by tag, or by digest when it has none) from the source to the
 * target. copyImage passes itself here, so this file does not import it back.
 */
export type CopyAttachment = (reference: string) => Promise<unknown>;

/**
 * Finds what is attached to `digest`: its referrers (through the referrers API, or where that
 * answers 404 the `sha256-<hex>` fallback tag, as the spec says) and cosign's `.sig`, `.att` and
 * `.sbom` tags. Costs HEADs only, and none at all for tags when the source's tag list is known.
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#referrers-tag-schema
 */
export async function locateAttachments(
  session: CopySession,
  source: Repository,
  digest: string,
  signal?: AbortSignal,
  hints: AttachmentHints = {},
): Promise<FoundAttachments> {
  const fallbackTag = digest.replace(":", "-");
  const exists = async (tag: string): Promise<ManifestInfo | undefined> =>
    hints.sourceTags && !hints.sourceTags.has(tag)
      ? undefined
      : await source.headManifest(tagReference(tag), signal);
  /** Attachments by digest; a tag, when it has one, is what gets copied, so cosign finds it by name. */
  const found = new Map<string, string | undefined>();
  const referrers = await session.referrersOf(source, digest, signal);
  if (referrers === undefined) {
    const head = await exists(fallbackTag);
    if (head) found.set(head.digest, fallbackTag);
  } else {
    for (const descriptor of referrers) found.set(descriptor.digest, undefined);
  }
  for (const suffix of cosignSuffixes) {
    const tag = `${fallbackTag}.${suffix}`;
    const head = await exists(tag);
    // A cosign signature pushed with a subject is also a referrer: one attachment, copied under its tag.
    if (head) found.set(head.digest, tag);
  }
  return { byDigest: found, referrers };
}

/**
 * Copies what is attached to `digest` (see locateAttachments) and returns how many attachments the
 * source has. When referrers came through the API and the target has no API, the target gets the
 * fallback tag, so they stay findable there.
 */
export async function copyAttachments(
  session: CopySession,
  source: Repository,
  target: Repository,
  digest: string,
  copyAttachment: CopyAttachment,
  signal?: AbortSignal,
  hints: AttachmentHints = {},
): Promise<number> {
  const { byDigest: found, referrers } = await locateAttachments(session, source, digest, signal, hints);
  for (const [attachment, tag] of found) {
    await copyAttachment(tag ?? attachment);
  }
  const viaApiOnly = (referrers ?? []).filter((d) => found.get(d.digest) === undefined);
  if (viaApiOnly.length > 0 && (await session.referrersOf(target, digest, signal)) === undefined) {
    await writeFallbackIndex(target, digest.replace(":", "-"), viaApiOnly, signal);
  }
  return found.size;
}

/**
 * Copies the attachments of the source image `digest` when the copy kept that digest; when the
 * copy is another image (`copyDigest`: a platform subset, a conversion), copies none and returns a
 * note naming them: copied, they would sign a digest the target never gets, next to an image
 * nothing signs.
 */
export async function copyOrNoteAttachments(
  session: CopySession,
  source: Repository,
  target: Repository,
  digest: string,
  copyDigest: string,
  copyAttachment: CopyAttachment,
  options: {
    readonly referrers?: boolean;
    readonly sourceTags?: ReadonlySet<string>;
    readonly signal?: AbortSignal;
  },
): Promise<{ readonly attachments: number; readonly note?: string }> {
  if (options.referrers === false) return { attachments: 0 };
  const { signal } = options;
  const hints = options.sourceTags ? { sourceTags: options.sourceTags } : {};
  if (copyDigest === digest) {
    return {
      attachments: await copyAttachments(session, source, target, digest, copyAttachment, signal, hints),
    };
  }
  const { byDigest } = await locateAttachments(session, source, digest, signal, hints);
  if (byDigest.size === 0) return { attachments: 0 };
  const names = [...byDigest].map(([attachment, tag]) => tag ?? attachment);
  return {
    attachments: 0,
    note: `not copied: ${names.join(", ")} (signature/attestation of the original ${digest}; the copy is another image, ${copyDigest}, which nothing signs; sign it again if needed)`,
  };
}

/**
 * Adds descriptors to the target's `sha256-<hex>` referrers index (creating it), as a client must
 * where the registry has no referrers API. Idempotent: an index that already lists them is left alone.
 */
async function writeFallbackIndex(
  target: Repository,
  tag: string,
  descriptors: readonly Descriptor[],
  signal?: AbortSignal,
): Promise<void> {
  let manifests: Descriptor[] = [];
  const reference = tagReference(tag);
  if (await target.headManifest(reference, signal)) {
    const existing = parseManifest((await target.getManifest(reference, signal)).bytes, MediaType.ociIndex);
    if (existing.kind === "index") manifests = [...existing.manifests];
  }
  const missing = descriptors.filter((d) => !manifests.some((m) => m.digest === d.digest));
  if (missing.length === 0) return;
  const index = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [...manifests, ...missing] };
  await target.putManifest(reference, Buffer.from(JSON.stringify(index)), MediaType.ociIndex, signal);
}

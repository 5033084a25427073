import type { Repository } from "../store/types.js";
import { copyImage } from "./copy-image.js";
import type { CopySession } from "./session.js";

/** cosign's tag suffixes for signatures, attestations and SBOMs. https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md */
const cosignSuffixes = ["sig", "att", "sbom"] as const;

/** Whether a tag only exists to attach something to a digest (cosign tags, the referrers fallback tag). */
export function isAttachmentTag(tag: string): boolean {
  return /^sha256-[a-f0-9]{64}(\.(sig|att|sbom))?$/.test(tag);
}

/**
 * Copies what is attached to `digest`: its referrers (through the referrers API, or where that
 * answers 404 the `sha256-<hex>` fallback tag, as the spec says) and cosign's `.sig`, `.att` and
 * `.sbom` tags. Returns how many attachments the source has. Finding them costs HEADs only.
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#referrers-tag-schema
 */
export async function copyAttachments(
  session: CopySession,
  source: Repository,
  target: Repository,
  digest: string,
  signal?: AbortSignal,
): Promise<number> {
  const fallbackTag = digest.replace(":", "-");
  /** Attachments by digest; a tag, when it has one, is what gets copied, so cosign finds it by name. */
  const found = new Map<string, string | undefined>();
  const referrers = await source.referrers(digest, signal);
  if (referrers === undefined) {
    const head = await source.headManifest(fallbackTag, signal);
    if (head) found.set(head.digest, fallbackTag);
  } else {
    for (const descriptor of referrers) found.set(descriptor.digest, undefined);
  }
  for (const suffix of cosignSuffixes) {
    const tag = `${fallbackTag}.${suffix}`;
    const head = await source.headManifest(tag, signal);
    // A cosign signature pushed with a subject is also a referrer: one attachment, copied under its tag.
    if (head) found.set(head.digest, tag);
  }
  for (const [attachment, tag] of found) {
    await copyImage(source, target, tag ?? attachment, {
      session,
      referrers: false,
      ...(signal ? { signal } : {}),
    });
  }
  return found.size;
}

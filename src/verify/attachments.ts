import { type Reference, withDigest, withTag } from "../reference/reference.js";
import type { RegistryClient } from "../registry/client.js";

/** cosign's tag suffixes, as copyAttachments knows them. https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md */
const cosignSuffixes = ["sig", "att", "sbom"] as const;

/** Something attached to an image: found through the referrers API (no tag) or under a tag. */
export interface Attachment {
  readonly digest: string;
  /** The cosign or referrers fallback tag it was found under, which a copy keeps. */
  readonly tag?: string;
}

/**
 * What is attached to `digest` in `repo`, found as copyAttachments finds it: the referrers API
 * (or, where that answers 404, the `sha256-<hex>` fallback tag) and cosign's `.sig`, `.att` and
 * `.sbom` tags. Apart from the referrers listing, HEADs only.
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#referrers-tag-schema
 */
export async function findAttachments(
  client: RegistryClient,
  repo: Reference,
  digest: string,
  signal?: AbortSignal,
): Promise<Attachment[]> {
  const fallbackTag = digest.replace(":", "-");
  const found = new Map<string, string | undefined>();
  const referrers = await client.referrers(repo, digest, signal ? { signal } : {});
  if (referrers === undefined) {
    const head = await client.headManifest(withTag(repo, fallbackTag), signal);
    if (head) found.set(head.digest, fallbackTag);
  } else {
    for (const descriptor of referrers) found.set(descriptor.digest, undefined);
  }
  for (const suffix of cosignSuffixes) {
    const tag = `${fallbackTag}.${suffix}`;
    const head = await client.headManifest(withTag(repo, tag), signal);
    if (head) found.set(head.digest, tag);
  }
  return [...found].map(([d, tag]) => (tag === undefined ? { digest: d } : { digest: d, tag }));
}

/**
 * The attachments the target repository lacks: one found under a tag must be under the same tag
 * with the same digest (cosign looks it up by name); one found through the referrers API must be
 * there by digest. HEADs only.
 */
export async function findMissingAttachments(
  client: RegistryClient,
  repo: Reference,
  attachments: readonly Attachment[],
  signal?: AbortSignal,
): Promise<Attachment[]> {
  const missing: Attachment[] = [];
  for (const attachment of attachments) {
    const ref =
      attachment.tag !== undefined ? withTag(repo, attachment.tag) : withDigest(repo, attachment.digest);
    const head = await client.headManifest(ref, signal);
    if (head?.digest !== attachment.digest) missing.push(attachment);
  }
  return missing;
}

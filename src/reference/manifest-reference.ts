import type { Reference } from "./reference.js";

/**
 * What names a manifest within one repository: a tag (`v1`) or a digest (`sha256:...`). The
 * `Repository` interface takes this rather than a string, so no caller decides "tag or digest"
 * by looking for a colon.
 */
export type ManifestReference =
  | { readonly kind: "tag"; readonly tag: string }
  | { readonly kind: "digest"; readonly digest: string };

/** A tag as a ManifestReference. */
export function tagReference(tag: string): ManifestReference {
  return { kind: "tag", tag };
}

/** A digest as a ManifestReference. */
export function digestReference(digest: string): ManifestReference {
  return { kind: "digest", digest };
}

/**
 * Reads a tag or a digest as written after a repository name. A digest always has a colon
 * (`algorithm:encoded`) and the tag grammar has none, so the colon decides: this is the one place
 * that looks. Validation stays with whoever accepts the value (a store refuses a malformed tag).
 * https://github.com/distribution/reference/blob/main/regexp.go
 */
export function parseManifestReference(text: string): ManifestReference {
  return text.includes(":") ? digestReference(text) : tagReference(text);
}

/** The tag or digest as text (`v1`, `sha256:...`), as it goes into a URL or a layout's index. */
export function formatManifestReference(reference: ManifestReference): string {
  return reference.kind === "tag" ? reference.tag : reference.digest;
}

/** `name:tag` or `name@digest`: a manifest reference written after its repository's name. */
export function qualifyManifestReference(name: string, reference: ManifestReference): string {
  return reference.kind === "tag" ? `${name}:${reference.tag}` : `${name}@${reference.digest}`;
}

/** The digest of a reference when it has one, else its tag, else `latest` (as a pull would). */
export function manifestReferenceOf(ref: Pick<Reference, "tag" | "digest">): ManifestReference {
  return ref.digest !== undefined ? digestReference(ref.digest) : tagReference(ref.tag ?? "latest");
}

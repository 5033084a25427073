import { createHash } from "node:crypto";

/** The sha256 digest of some bytes, as `sha256:<hex>`. */
export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

/** The hash algorithm Node calls the digest's algorithm by (sha256, sha384, sha512). */
export function hashAlgorithmOf(digest: string): string {
  return digest.slice(0, digest.indexOf(":"));
}

/** The digest of some bytes computed with the same algorithm as `like`. */
export function digestLike(like: string, bytes: Uint8Array): string {
  const algorithm = hashAlgorithmOf(like);
  return `${algorithm}:${createHash(algorithm).update(bytes).digest("hex")}`;
}

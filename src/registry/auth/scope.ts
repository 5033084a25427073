/**
 * Token scopes: `repository:<name>:<actions>` and `registry:catalog:*`.
 * https://distribution.github.io/distribution/spec/auth/scope/
 */

/** `repository:<path>:pull`. */
export function pullScope(path: string): string {
  return `repository:${path}:pull`;
}

/** `repository:<path>:pull,push`: uploads also check for existing blobs, which needs pull. */
export function pushScope(path: string): string {
  return `repository:${path}:pull,push`;
}

/** `repository:<path>:delete`, with pull for the lookups before a delete. */
export function deleteScope(path: string): string {
  return `repository:${path}:pull,delete`;
}

/** The scope of the catalog endpoint. */
export const catalogScope = "registry:catalog:*";

/** A stable key for a set of scopes (order does not matter). */
export function scopeKey(scopes: readonly string[]): string {
  return [...new Set(scopes)].sort().join(" ");
}

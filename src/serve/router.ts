import { remoteName } from "../reference/grammar.js";

/** A request path matched to one endpoint of the distribution spec. */
export type Route =
  | { readonly kind: "ping" }
  | { readonly kind: "catalog" }
  | { readonly kind: "tags"; readonly name: string }
  | { readonly kind: "manifest"; readonly name: string; readonly reference: string }
  | { readonly kind: "upload-start"; readonly name: string }
  | { readonly kind: "upload"; readonly name: string; readonly id: string }
  | { readonly kind: "blob"; readonly name: string; readonly digest: string }
  | { readonly kind: "referrers"; readonly name: string; readonly digest: string };

const digestPart = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[A-Za-z0-9=_-]+";
const name = `(${remoteName})`;

/**
 * The endpoints, most specific first (a name may itself contain `blobs` or `uploads`).
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#endpoints
 */
const patterns: ReadonlyArray<readonly [RegExp, (m: RegExpExecArray) => Route]> = [
  [/^\/v2\/?$/, () => ({ kind: "ping" })],
  [/^\/v2\/_catalog$/, () => ({ kind: "catalog" })],
  [new RegExp(`^/v2/${name}/tags/list$`), (m) => ({ kind: "tags", name: m[1]! })],
  [
    // Any reference: the handler answers a malformed tag or digest with 400, not 404.
    new RegExp(`^/v2/${name}/manifests/([^/]+)$`),
    (m) => ({ kind: "manifest", name: m[1]!, reference: m[2]! }),
  ],
  [new RegExp(`^/v2/${name}/blobs/uploads/?$`), (m) => ({ kind: "upload-start", name: m[1]! })],
  [
    new RegExp(`^/v2/${name}/blobs/uploads/([A-Za-z0-9-]+)$`),
    (m) => ({ kind: "upload", name: m[1]!, id: m[2]! }),
  ],
  [new RegExp(`^/v2/${name}/blobs/(${digestPart})$`), (m) => ({ kind: "blob", name: m[1]!, digest: m[2]! })],
  [
    new RegExp(`^/v2/${name}/referrers/(${digestPart})$`),
    (m) => ({ kind: "referrers", name: m[1]!, digest: m[2]! }),
  ],
];

/** The longest repository name the spec allows registries to require support for. */
const nameLengthMax = 255;

/** Matches a request path (already percent-decoded by URL) to an endpoint, or undefined. */
export function matchRoute(pathname: string): Route | undefined {
  for (const [pattern, build] of patterns) {
    const match = pattern.exec(pathname);
    if (match === null) continue;
    const route = build(match);
    if ("name" in route && route.name.length > nameLengthMax) return undefined;
    return route;
  }
  return undefined;
}

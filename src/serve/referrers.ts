import { MediaType } from "../oci/media-types.js";
import { type RouteContext, requireDigest, sendJson } from "./http.js";
import type { ManifestRecord } from "./storage.js";

/**
 * How many bytes of descriptors one referrers page holds at most (at least one descriptor a page):
 * about a thousand plain descriptors, and far under the 4 MiB clients such as crossdock read a page with.
 */
const referrersPageBytes = 256 * 1024;

/**
 * `GET /v2/<name>/referrers/<digest>[?artifactType=]`: an OCI image index of the manifests in
 * the repository whose `subject` is that digest (an empty one when there are none), filtered by
 * artifact type with `OCI-Filters-Applied` saying so. Descriptors come in digest order, a page at
 * most `referrersPageBytes` long, with a `Link` to the next page (`?last=<digest>`) while more remain.
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-referrers
 */
export async function listReferrers(ctx: RouteContext, name: string, rawDigest: string): Promise<void> {
  const digest = requireDigest(rawDigest);
  const filter = ctx.url.searchParams.get("artifactType");
  const last = ctx.url.searchParams.get("last");
  const records = (await ctx.storage.listReferrers(name, digest))
    .filter((record) => filter === null || record.artifactType === filter)
    .sort((a, b) => (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0))
    .filter((record) => last === null || record.digest > last);
  const manifests: ReturnType<typeof descriptorOf>[] = [];
  let size = 0;
  for (const record of records) {
    const descriptor = descriptorOf(record);
    size += Buffer.byteLength(JSON.stringify(descriptor)) + 1;
    if (manifests.length > 0 && size > referrersPageBytes) break;
    manifests.push(descriptor);
  }
  const headers: Record<string, string> = { "content-type": MediaType.ociIndex };
  if (filter !== null) headers["oci-filters-applied"] = "artifactType";
  const lastOfPage = manifests[manifests.length - 1];
  if (manifests.length < records.length && lastOfPage !== undefined) {
    const next = new URLSearchParams({
      ...(filter !== null ? { artifactType: filter } : {}),
      last: lastOfPage.digest,
    });
    headers["link"] = `</v2/${name}/referrers/${digest}?${next.toString()}>; rel="next"`;
  }
  sendJson(ctx, 200, { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests }, headers);
}

/** The descriptor of a referrer, as the referrers index lists it. */
function descriptorOf(record: ManifestRecord) {
  return {
    mediaType: record.mediaType,
    digest: record.digest,
    size: record.size,
    ...(record.artifactType !== undefined ? { artifactType: record.artifactType } : {}),
    ...(record.annotations !== undefined ? { annotations: record.annotations } : {}),
  };
}

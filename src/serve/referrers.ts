import { MediaType } from "../oci/media-types.js";
import { type RouteContext, requireDigest, sendJson } from "./http.js";

/**
 * `GET /v2/<name>/referrers/<digest>[?artifactType=]`: an OCI image index of the manifests in
 * the repository whose `subject` is that digest (an empty one when there are none), filtered by
 * artifact type with `OCI-Filters-Applied` saying so.
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-referrers
 */
export async function listReferrers(ctx: RouteContext, name: string, rawDigest: string): Promise<void> {
  const digest = requireDigest(rawDigest);
  const filter = ctx.url.searchParams.get("artifactType");
  const records = (await ctx.storage.listReferrers(name, digest)).filter(
    (record) => filter === null || record.artifactType === filter,
  );
  const manifests = records.map((record) => ({
    mediaType: record.mediaType,
    digest: record.digest,
    size: record.size,
    ...(record.artifactType !== undefined ? { artifactType: record.artifactType } : {}),
    ...(record.annotations !== undefined ? { annotations: record.annotations } : {}),
  }));
  const headers: Record<string, string> = { "content-type": MediaType.ociIndex };
  if (filter !== null) headers["oci-filters-applied"] = "artifactType";
  sendJson(ctx, 200, { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests }, headers);
}

import { type RouteContext, sendJson } from "./http.js";
import { paginate } from "./pagination.js";

/**
 * `GET /v2/_catalog?n=&last=`: every repository, sorted and paginated like tags. Not part of the
 * OCI spec; this is distribution's API, which clients and tools use.
 * https://distribution.github.io/distribution/spec/api/#catalog
 */
export async function listCatalog(ctx: RouteContext): Promise<void> {
  const { page, headers } = paginate(await ctx.storage.listRepositories(), ctx.url, "/v2/_catalog");
  sendJson(ctx, 200, { repositories: page }, headers);
}

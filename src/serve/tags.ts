import { ServeError } from "./errors.js";
import { type RouteContext, sendJson } from "./http.js";
import { paginate } from "./pagination.js";

/**
 * `GET /v2/<name>/tags/list?n=&last=`: the repository's tags in lexical order, paginated.
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-tags
 */
export async function listTags(ctx: RouteContext, name: string): Promise<void> {
  const tags = await ctx.storage.listTags(name);
  if (tags === undefined)
    throw new ServeError("NAME_UNKNOWN", `repository ${name} not known to registry`, { detail: { name } });
  const { page, headers } = paginate(tags, ctx.url, `/v2/${name}/tags/list`);
  sendJson(ctx, 200, { name, tags: page }, headers);
}

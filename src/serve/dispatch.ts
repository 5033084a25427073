import { anchoredRemoteName } from "../reference/grammar.js";
import type { Need } from "./auth.js";
import { deleteBlob, getBlob } from "./blobs.js";
import { listCatalog } from "./catalog.js";
import { ServeError } from "./errors.js";
import { type RouteContext, sendJson } from "./http.js";
import { deleteManifest, getManifest, putManifest } from "./manifests.js";
import { listReferrers } from "./referrers.js";
import type { Route } from "./router.js";
import { listTags } from "./tags.js";
import { cancelUpload, closeUpload, getUploadStatus, patchUpload, startUpload } from "./uploads.js";

/**
 * What a request needs from its token: pull to read, pull and push to upload (what distribution
 * asks for), delete to delete, `registry:catalog:*` for the catalog. A cross-repository mount
 * (`?mount=&from=`) needs pull on `from` as well, as distribution asks: a token without it gets a
 * challenge naming that scope, so a client that asks for exactly the challenged scopes can mount.
 * https://distribution.github.io/distribution/spec/auth/scope/
 * https://github.com/distribution/distribution/blob/main/registry/handlers/app.go (appendAccessRecords for "from")
 */
export function needOf(route: Route, method: string, url: URL): Need {
  switch (route.kind) {
    case "ping":
      return [];
    case "catalog":
      return [{ type: "registry", name: "catalog", actions: ["*"] }];
    case "upload-start": {
      const from = url.searchParams.get("from");
      const mountFrom: Need =
        method === "POST" && url.searchParams.has("mount") && from !== null && anchoredRemoteName.test(from)
          ? [{ type: "repository", name: from, actions: ["pull"] }]
          : [];
      return [{ type: "repository", name: route.name, actions: ["pull", "push"] }, ...mountFrom];
    }
    case "upload":
      return [{ type: "repository", name: route.name, actions: ["pull", "push"] }];
    default: {
      const actions = method === "DELETE" ? ["delete"] : method === "PUT" ? ["pull", "push"] : ["pull"];
      return [{ type: "repository", name: route.name, actions }];
    }
  }
}

/** Calls the handler of a route and method; UNSUPPORTED (405) for a method the endpoint lacks. */
export async function dispatch(ctx: RouteContext, route: Route): Promise<void> {
  const method = ctx.req.method ?? "GET";
  const read = method === "GET" || method === "HEAD";
  switch (route.kind) {
    case "ping":
      if (read) return sendJson(ctx, 200, {});
      break;
    case "catalog":
      if (method === "GET") return await listCatalog(ctx);
      break;
    case "tags":
      if (method === "GET") return await listTags(ctx, route.name);
      break;
    case "referrers":
      if (method === "GET") return await listReferrers(ctx, route.name, route.digest);
      break;
    case "manifest":
      if (read) return await getManifest(ctx, route.name, route.reference);
      if (method === "PUT") return await putManifest(ctx, route.name, route.reference);
      if (method === "DELETE") return await deleteManifest(ctx, route.name, route.reference);
      break;
    case "blob":
      if (read) return await getBlob(ctx, route.name, route.digest);
      if (method === "DELETE") return await deleteBlob(ctx, route.name, route.digest);
      break;
    case "upload-start":
      if (method === "POST") return await startUpload(ctx, route.name);
      break;
    case "upload":
      if (method === "PATCH") return await patchUpload(ctx, route.name, route.id);
      if (method === "PUT") return await closeUpload(ctx, route.name, route.id);
      if (method === "GET") return await getUploadStatus(ctx, route.name, route.id);
      if (method === "DELETE") return await cancelUpload(ctx, route.name, route.id);
      break;
  }
  throw new ServeError("UNSUPPORTED", `${method} is not supported here`);
}

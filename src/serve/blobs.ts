import { pipeline } from "node:stream/promises";
import { ServeError } from "./errors.js";
import { type RouteContext, requireDigest, send } from "./http.js";

/**
 * `GET`/`HEAD /v2/<name>/blobs/<digest>`: a blob linked into the repository, with a single
 * `Range: bytes=a-b` answered by 206.
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-blobs
 */
export async function getBlob(ctx: RouteContext, name: string, rawDigest: string): Promise<void> {
  const digest = requireDigest(rawDigest);
  const size = await ctx.storage.repositoryBlobSize(name, digest);
  if (size === undefined)
    throw new ServeError("BLOB_UNKNOWN", "blob unknown to registry", { detail: { digest } });
  const headers: Record<string, string> = {
    "content-type": "application/octet-stream",
    "docker-content-digest": digest,
    "accept-ranges": "bytes",
    etag: `"${digest}"`,
    "cache-control": "max-age=31536000",
  };
  const range = parseRange(ctx.req.headers.range, size);
  if (range === "unsatisfiable") {
    send(ctx, 416, { "content-range": `bytes */${size}` });
    return;
  }
  const status = range === undefined ? 200 : 206;
  const length = range === undefined ? size : range.end - range.start + 1;
  if (range !== undefined) headers["content-range"] = `bytes ${range.start}-${range.end}/${size}`;
  ctx.res.writeHead(status, { ...headers, "content-length": String(length) });
  if (ctx.req.method === "HEAD" || length === 0) {
    ctx.res.end();
    return;
  }
  await pipeline(ctx.storage.readBlob(digest, range), ctx.res);
}

/**
 * `DELETE /v2/<name>/blobs/<digest>`: unlinks the blob from the repository (202).
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#deleting-blobs
 */
export async function deleteBlob(ctx: RouteContext, name: string, rawDigest: string): Promise<void> {
  const digest = requireDigest(rawDigest);
  if (!(await ctx.storage.unlinkBlob(name, digest))) {
    throw new ServeError("BLOB_UNKNOWN", "blob unknown to registry", { detail: { digest } });
  }
  send(ctx, 202, {});
}

/** One byte range of `bytes=a-b`, `bytes=a-` or `bytes=-n`; multiple ranges are ignored (whole blob). */
function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | "unsatisfiable" | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (match === null || (match[1] === "" && match[2] === "")) return undefined;
  let start: number;
  let end: number;
  if (match[1] === "") {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || start > end) return "unsatisfiable";
  return { start, end };
}

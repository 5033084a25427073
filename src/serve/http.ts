import type { IncomingMessage, ServerResponse } from "node:http";
import { checkDigest } from "../reference/reference.js";
import { ServeError } from "./errors.js";
import type { RegistryStorage } from "./storage.js";
import type { UploadSessions } from "./upload-sessions.js";

/** What every route handler gets: the request, the response, the parsed URL and the server's state. */
export interface RouteContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly storage: RegistryStorage;
  readonly uploads: UploadSessions;
  /** Whether this request's credentials allow pulling from another repository (cross-repository mount). */
  readonly canPull: (name: string) => boolean;
}

/** Sends a response with an optional body; sets Content-Length and never a body on HEAD. */
export function send(
  ctx: Pick<RouteContext, "req" | "res">,
  status: number,
  headers: Record<string, string>,
  body?: string | Uint8Array,
): void {
  const bytes = typeof body === "string" ? Buffer.from(body) : body;
  ctx.res.writeHead(status, { ...headers, "content-length": String(bytes?.length ?? 0) });
  ctx.res.end(ctx.req.method === "HEAD" ? undefined : bytes);
}

/** Sends a JSON document. */
export function sendJson(
  ctx: Pick<RouteContext, "req" | "res">,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  send(ctx, status, { "content-type": "application/json", ...headers }, JSON.stringify(value));
}

/**
 * Reads a whole request body, refusing more than `limit` bytes (manifests are small: the spec
 * asks registries to accept at least 4 MiB).
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-manifests
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > limit) {
    throw new ServeError("SIZE_INVALID", `body larger than ${limit} bytes`, { status: 413 });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  // destroyOnReturn: false, so a refused body leaves the request to sendError, which answers 413
  // and then drains or cuts the connection; destroying it here took the socket down before the answer.
  for await (const chunk of req.iterator({ destroyOnReturn: false })) {
    size += (chunk as Buffer).length;
    if (size > limit)
      throw new ServeError("SIZE_INVALID", `body larger than ${limit} bytes`, { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Checks a digest from the URL or query; DIGEST_INVALID when it is malformed or its algorithm unknown. */
export function requireDigest(digest: string | null | undefined): string {
  if (digest === null || digest === undefined || digest === "") {
    throw new ServeError("DIGEST_INVALID", "a digest is required");
  }
  const problem = checkDigest(digest);
  if (problem !== undefined) throw new ServeError("DIGEST_INVALID", problem, { detail: { digest } });
  return digest;
}

import { Readable } from "node:stream";
import type { Reference } from "../reference/reference.js";
import { pushScope } from "./auth/scope.js";
import { RegistryError, redactUrl, SizeMismatchError } from "./errors.js";
import { discardBody, errorFromResponse } from "./response.js";
import type { RegistrySession } from "./session.js";
import type { HttpResponse } from "./transport.js";
import type { PushBlobOptions } from "./types.js";

/**
 * Uploads a blob: POST opens a session, then one streaming PUT `?digest=` (monolithic), or PATCH
 * chunks then a closing PUT when `chunkSize` is set. Never buffers more than one chunk. Any
 * failure (the body's included) cancels the session, so the registry commits nothing.
 * https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#pushing-blobs
 */
export async function pushBlob(
  session: RegistrySession,
  repo: Reference,
  digest: string,
  size: number,
  body: Readable | Uint8Array,
  options: PushBlobOptions = {},
): Promise<void> {
  const what = `upload of blob ${digest} to ${repo.name}`;
  const signal = options.signal;
  const scopes = [pushScope(repo.path)];
  const start = await session.send({
    registry: repo.domain,
    method: "POST",
    target: `/v2/${repo.path}/blobs/uploads/`,
    scopes,
    stat: "blobPut",
    retryable: true,
    signal,
  });
  let location = await expectUpload(session, start, 202, repo, what);
  try {
    if (options.chunkSize === undefined) {
      const put = await session.send({
        registry: repo.domain,
        method: "PUT",
        target: withDigest(location, digest),
        scopes,
        stat: "blobPut",
        headers: { "content-type": "application/octet-stream", "content-length": String(size) },
        body,
        retryable: body instanceof Uint8Array,
        bulk: true,
        signal,
      });
      await expectUpload(session, put, 201, repo, what);
      return;
    }
    let offset = 0;
    for await (const chunk of chunksOf(body, options.chunkSize)) {
      if (offset + chunk.length > size) throw new SizeMismatchError(what, size, offset + chunk.length);
      const patch = await session.send({
        registry: repo.domain,
        method: "PATCH",
        target: location,
        scopes,
        stat: "blobPut",
        headers: {
          "content-type": "application/octet-stream",
          "content-range": `${offset}-${offset + chunk.length - 1}`,
          "content-length": String(chunk.length),
        },
        body: chunk,
        // A PATCH the registry half-applied cannot be repeated: the offset moved.
        retryable: false,
        bulk: true,
        signal,
      });
      location = await expectUpload(session, patch, 202, repo, what);
      offset += chunk.length;
    }
    if (offset !== size) throw new SizeMismatchError(what, size, offset);
    const close = await session.send({
      registry: repo.domain,
      method: "PUT",
      target: withDigest(location, digest),
      scopes,
      stat: "blobPut",
      headers: { "content-length": "0" },
      retryable: true,
      signal,
    });
    await expectUpload(session, close, 201, repo, what);
  } catch (error) {
    if (body instanceof Readable && !body.destroyed) body.destroy();
    await cancelUpload(session, repo, location);
    throw error;
  }
}

/** Checks an upload step's status and returns the (absolute) Location of the session. */
async function expectUpload(
  session: RegistrySession,
  res: HttpResponse,
  status: number,
  repo: Reference,
  what: string,
): Promise<URL> {
  if (res.status !== status) {
    throw await errorFromResponse(res, session.context(repo.domain, what, "BLOB_UPLOAD_UNKNOWN"));
  }
  await discardBody(res.body);
  const location = res.headers.location;
  if (typeof location !== "string") {
    if (status === 201) return res.url;
    throw new RegistryError({
      code: "BLOB_UPLOAD_INVALID",
      message: `${what}: the registry answered ${res.status} without a Location`,
      host: repo.domain,
      url: redactUrl(res.url),
      status: res.status,
    });
  }
  return new URL(location, res.url);
}

/** The upload URL with `digest=` added to whatever query the registry put there (`_state`). */
function withDigest(location: URL, digest: string): URL {
  const url = new URL(location);
  url.searchParams.set("digest", digest);
  return url;
}

/** Cancels an upload session, best effort (a failure here must not hide the original one). */
export async function cancelUpload(session: RegistrySession, repo: Reference, location: URL): Promise<void> {
  try {
    const res = await session.send({
      registry: repo.domain,
      method: "DELETE",
      target: location,
      scopes: [pushScope(repo.path)],
      stat: "other",
      retryable: false,
      signal: AbortSignal.timeout(10_000),
    });
    await discardBody(res.body);
  } catch {
    // best effort: the registry expires abandoned sessions
  }
}

/** The body in chunks of exactly `chunkSize` bytes (the last one shorter), holding one chunk at a time. */
async function* chunksOf(body: Readable | Uint8Array, chunkSize: number): AsyncGenerator<Buffer> {
  if (!(chunkSize > 0)) throw new RangeError(`chunkSize must be positive, got ${chunkSize}`);
  if (body instanceof Uint8Array) {
    for (let offset = 0; offset < body.length; offset += chunkSize) {
      yield Buffer.from(body.buffer, body.byteOffset + offset, Math.min(chunkSize, body.length - offset));
    }
    return;
  }
  let pending: Buffer[] = [];
  let pendingSize = 0;
  for await (const piece of body) {
    let buffer = piece as Buffer;
    while (pendingSize + buffer.length >= chunkSize) {
      const take = chunkSize - pendingSize;
      pending.push(buffer.subarray(0, take));
      yield Buffer.concat(pending);
      buffer = buffer.subarray(take);
      pending = [];
      pendingSize = 0;
    }
    if (buffer.length > 0) {
      pending.push(buffer);
      pendingSize += buffer.length;
    }
  }
  if (pendingSize > 0) yield Buffer.concat(pending);
}

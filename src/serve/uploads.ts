import { anchoredRemoteName } from "../reference/grammar.js";
import { ServeError } from "./errors.js";
import { type RouteContext, requireDigest, send } from "./http.js";
import type { UploadSession } from "./upload-sessions.js";

/**
 * `POST /v2/<name>/blobs/uploads/`: a monolithic upload (`?digest=` with the body), a
 * cross-repository mount (`?mount=&from=`, 201 when the source repository has the blob and the
 * caller may pull it, else a new session), or a new session (202 with its Location).
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-blobs
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#mounting-a-blob-from-another-repository
 */
export async function startUpload(ctx: RouteContext, name: string): Promise<void> {
  const mount = ctx.url.searchParams.get("mount");
  const from = ctx.url.searchParams.get("from");
  if (mount !== null && from !== null) {
    const digest = requireDigest(mount);
    if (anchoredRemoteName.test(from) && ctx.canPull(from)) {
      if ((await ctx.storage.repositoryBlobSize(from, digest)) !== undefined) {
        await ctx.storage.linkBlob(name, digest);
        sendBlobCreated(ctx, name, digest);
        return;
      }
    }
  }
  const digestParam = ctx.url.searchParams.get("digest");
  // Checked before the session exists, so a bad digest leaves no temp file behind.
  const digest = digestParam !== null && mount === null ? requireDigest(digestParam) : undefined;
  const session = await ctx.uploads.create(name);
  if (digest !== undefined) {
    await finishUpload(ctx, session, digest);
    return;
  }
  ctx.req.resume();
  await sendUploadStatus(ctx, session, 202);
}

/**
 * `PATCH /v2/<name>/blobs/uploads/<id>`: appends a chunk. With `Content-Range: a-b` the chunk
 * must start where the upload ends, else 416; without it the body is streamed as it comes.
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-a-blob-in-chunks
 */
export async function patchUpload(ctx: RouteContext, name: string, id: string): Promise<void> {
  const session = ctx.uploads.get(name, id);
  await withSession(ctx, session, async () => {
    await checkContentRange(ctx, session);
    await ctx.uploads.append(session, ctx.req);
  });
  await sendUploadStatus(ctx, session, 202);
}

/**
 * `GET /v2/<name>/blobs/uploads/<id>`: where a (resumable) upload stands: 204 with `Range`.
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-a-blob-in-chunks
 */
export async function getUploadStatus(ctx: RouteContext, name: string, id: string): Promise<void> {
  await sendUploadStatus(ctx, ctx.uploads.get(name, id), 204);
}

/**
 * `PUT /v2/<name>/blobs/uploads/<id>?digest=`: closes the upload with an optional last chunk.
 * The digest is checked before the blob is stored; on a mismatch nothing is stored (400 DIGEST_INVALID).
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#closing-a-blob-upload
 */
export async function closeUpload(ctx: RouteContext, name: string, id: string): Promise<void> {
  const session = ctx.uploads.get(name, id);
  const digest = requireDigest(ctx.url.searchParams.get("digest"));
  await withSession(ctx, session, async () => {
    await checkContentRange(ctx, session);
    await finishUpload(ctx, session, digest);
  });
}

/**
 * `DELETE /v2/<name>/blobs/uploads/<id>`: cancels an upload (204).
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#canceling-an-upload
 */
export async function cancelUpload(ctx: RouteContext, name: string, id: string): Promise<void> {
  await ctx.uploads.remove(ctx.uploads.get(name, id));
  send(ctx, 204, {});
}

async function finishUpload(ctx: RouteContext, session: UploadSession, digest: string): Promise<void> {
  try {
    await ctx.uploads.append(session, ctx.req);
    const hashed = await ctx.uploads.digestOf(session, digest.slice(0, digest.indexOf(":")));
    await ctx.storage.commitBlob(session.path, digest, hashed);
  } finally {
    await ctx.uploads.remove(session);
  }
  await ctx.storage.linkBlob(session.name, digest);
  sendBlobCreated(ctx, session.name, digest);
}

async function withSession(
  ctx: RouteContext,
  session: UploadSession,
  work: () => Promise<void>,
): Promise<void> {
  if (session.busy) {
    throw new ServeError("BLOB_UPLOAD_INVALID", "another request is writing to this upload", {
      status: 416,
      headers: await statusHeaders(ctx, session),
    });
  }
  session.busy = true;
  try {
    await work();
  } finally {
    session.busy = false;
  }
}

/** A chunk with `Content-Range` must start at the current offset and match its Content-Length. */
async function checkContentRange(ctx: RouteContext, session: UploadSession): Promise<void> {
  const header = ctx.req.headers["content-range"];
  if (header === undefined) return;
  const match = /^(?:bytes )?(\d+)-(\d+)(?:\/(?:\d+|\*))?$/.exec(header.trim());
  const offset = await ctx.uploads.offset(session);
  const length = ctx.req.headers["content-length"];
  const start = Number(match?.[1]);
  const end = Number(match?.[2]);
  const fits = match !== null && start === offset && end >= start;
  if (!fits || (length !== undefined && Number(length) !== end - start + 1)) {
    throw new ServeError("BLOB_UPLOAD_INVALID", `chunk ${header} does not continue the upload at ${offset}`, {
      status: 416,
      headers: await statusHeaders(ctx, session),
    });
  }
}

async function statusHeaders(ctx: RouteContext, session: UploadSession): Promise<Record<string, string>> {
  const offset = await ctx.uploads.offset(session);
  return {
    location: `/v2/${session.name}/blobs/uploads/${session.id}`,
    // distribution answers 0-0 for an empty upload; the end is inclusive otherwise.
    range: `0-${Math.max(0, offset - 1)}`,
    "docker-upload-uuid": session.id,
  };
}

async function sendUploadStatus(ctx: RouteContext, session: UploadSession, status: number): Promise<void> {
  send(ctx, status, await statusHeaders(ctx, session));
}

function sendBlobCreated(ctx: RouteContext, name: string, digest: string): void {
  send(ctx, 201, { location: `/v2/${name}/blobs/${digest}`, "docker-content-digest": digest });
}

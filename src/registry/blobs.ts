import { Readable } from "node:stream";
import type { Reference } from "../reference/reference.js";
import { deleteScope, pullScope } from "./auth/scope.js";
import { RegistryError, redactUrl, SizeMismatchError } from "./errors.js";
import { discardBody, errorFromResponse } from "./response.js";
import { describeFailure, errorCodeOf, isTransientFailure } from "./retry.js";
import type { RegistrySession } from "./session.js";
import type { BlobReader, GetBlobOptions } from "./types.js";
import { createVerifyingStream } from "./verify-stream.js";

function blobPath(repo: Reference, digest: string): string {
  return `/v2/${repo.path}/blobs/${digest}`;
}

function blobWhat(repo: Reference, digest: string): string {
  return `blob ${digest} in ${repo.name}`;
}

/** HEAD a blob: its size, or undefined when the repository does not have it. */
export async function headBlob(
  session: RegistrySession,
  repo: Reference,
  digest: string,
  signal?: AbortSignal,
): Promise<number | undefined> {
  const res = await session.send({
    registry: repo.domain,
    method: "HEAD",
    target: blobPath(repo, digest),
    scopes: [pullScope(repo.path)],
    stat: "blobHead",
    retryable: true,
    followRedirects: true,
    signal,
  });
  await discardBody(res.body).catch(() => undefined);
  if (res.status === 404) return undefined;
  if (res.status !== 200) {
    throw await errorFromResponse(res, session.context(repo.domain, blobWhat(repo, digest), "BLOB_UNKNOWN"));
  }
  const length = Number(res.headers["content-length"]);
  return Number.isFinite(length) ? length : 0;
}

/**
 * GET a blob as a verifying stream. Redirects to storage hosts are followed without the
 * registry's Authorization (see RegistrySession). A Content-Length that differs from
 * `expectedSize` fails before any byte is read.
 * https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#pulling-blobs
 */
export async function getBlob(
  session: RegistrySession,
  repo: Reference,
  digest: string,
  options: GetBlobOptions = {},
): Promise<BlobReader> {
  const what = blobWhat(repo, digest);
  const res = await session.send({
    registry: repo.domain,
    method: "GET",
    target: blobPath(repo, digest),
    scopes: [pullScope(repo.path)],
    stat: "blobGet",
    retryable: true,
    bulk: true,
    followRedirects: true,
    signal: options.signal,
  });
  if (res.status !== 200)
    throw await errorFromResponse(res, session.context(repo.domain, what, "BLOB_UNKNOWN"));
  const header = res.headers["content-length"];
  const length = header !== undefined ? Number(header) : undefined;
  if (options.expectedSize !== undefined && length !== undefined && length !== options.expectedSize) {
    await discardBody(res.body).catch(() => undefined);
    throw new SizeMismatchError(what, options.expectedSize, length);
  }
  const size = options.expectedSize ?? length;
  const stream = createVerifyingStream(what, digest, size, (n) =>
    session.stats.count(repo.domain, "blobBytesRead", n),
  );
  const source = Readable.from(resumingBody(session, repo, digest, size, res.body, options.signal), {
    objectMode: false,
  });
  source.on("error", (error) => stream.destroy(error));
  stream.on("close", () => {
    // the consumer stopped early: release the connection
    if (!source.destroyed && !source.readableEnded) source.destroy();
  });
  source.pipe(stream);
  return { size: size ?? -1, stream };
}

/**
 * The bytes of a blob GET; when the connection resets or times out mid-body, asks again for the
 * rest with `Range: bytes=<received>-` (through the registry, so an expired storage URL is
 * renewed), a bounded number of times; so does a body that ends cleanly short of `size` (cut off
 * without a Content-Length). A server that ignores the range (200, not 206) ends it.
 * The error that ends it names the source registry (a stalled source is the source's fault, not
 * the upload's) and is temporary when the break was (so the whole copy may be tried again).
 * https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#pulling-blobs
 */
async function* resumingBody(
  session: RegistrySession,
  repo: Reference,
  digest: string,
  size: number | undefined,
  first: Readable,
  signal: AbortSignal | undefined,
): AsyncGenerator<Buffer> {
  let body = first;
  let received = 0;
  for (let resumes = 0; ; ) {
    try {
      for await (const chunk of body) {
        received += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
      if (size === undefined || received >= size) return;
      throw Object.assign(new Error(`the body ended after ${received} of ${size} bytes`), {
        code: endedShort,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      // A short body that cannot be completed just ends: the verifying stream reports the size.
      const short = errorCodeOf(error) === endedShort;
      if (!isBreak(error) || resumes >= session.maxRetries) {
        if (short) return;
        throw bodyBrokeOff(session, repo, digest, received, error);
      }
      resumes++;
      session.stats.count(repo.domain, "retries");
      const res = await session.send({
        registry: repo.domain,
        method: "GET",
        target: blobPath(repo, digest),
        scopes: [pullScope(repo.path)],
        stat: "blobGet",
        headers: { range: `bytes=${received}-` },
        retryable: true,
        bulk: true,
        followRedirects: true,
        signal,
      });
      if (res.status !== 206) {
        await discardBody(res.body).catch(() => undefined);
        if (short) return;
        throw bodyBrokeOff(session, repo, digest, received, error);
      }
      body = res.body;
    }
  }
}

/** The error of a blob body that broke off and could not be resumed, blaming the registry it came from. */
function bodyBrokeOff(
  session: RegistrySession,
  repo: Reference,
  digest: string,
  received: number,
  error: unknown,
): RegistryError {
  return new RegistryError({
    code: "BLOB_INTERRUPTED",
    message: `${blobWhat(repo, digest)}: the download from ${repo.domain} broke off after ${received} bytes (${describeFailure(error)})`,
    host: repo.domain,
    url: redactUrl(new URL(blobPath(repo, digest), session.origin(repo.domain))),
    temporary: isBreak(error),
    cause: error,
  });
}

/** The code of a blob body that ended cleanly, short of its size (cut off without a Content-Length). */
const endedShort = "BODY_ENDED_SHORT";

/** Whether a blob body broke off in a way that asking for the rest may mend. */
function isBreak(error: unknown): boolean {
  return isTransientFailure(error) || errorCodeOf(error) === endedShort;
}

/** DELETE a blob from a repository (registries may refuse: 405 UNSUPPORTED). */
export async function deleteBlob(
  session: RegistrySession,
  repo: Reference,
  digest: string,
  signal?: AbortSignal,
): Promise<void> {
  const res = await session.send({
    registry: repo.domain,
    method: "DELETE",
    target: blobPath(repo, digest),
    scopes: [deleteScope(repo.path)],
    stat: "other",
    retryable: true,
    signal,
  });
  if (res.status !== 202 && res.status !== 200 && res.status !== 204) {
    throw await errorFromResponse(
      res,
      session.context(repo.domain, `delete ${blobWhat(repo, digest)}`, "BLOB_UNKNOWN"),
    );
  }
  await discardBody(res.body);
}

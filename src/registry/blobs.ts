import type { Reference } from "../reference/reference.js";
import { deleteScope, pullScope } from "./auth/scope.js";
import { SizeMismatchError } from "./errors.js";
import { errorFromResponse } from "./response.js";
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
  await res.body.dump().catch(() => undefined);
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
    followRedirects: true,
    signal: options.signal,
  });
  if (res.status !== 200)
    throw await errorFromResponse(res, session.context(repo.domain, what, "BLOB_UNKNOWN"));
  const header = res.headers["content-length"];
  const length = header !== undefined ? Number(header) : undefined;
  if (options.expectedSize !== undefined && length !== undefined && length !== options.expectedSize) {
    await res.body.dump().catch(() => undefined);
    throw new SizeMismatchError(what, options.expectedSize, length);
  }
  const size = options.expectedSize ?? length;
  const stream = createVerifyingStream(what, digest, size, (n) =>
    session.stats.count(repo.domain, "blobBytesRead", n),
  );
  res.body.on("error", (error) => stream.destroy(error));
  stream.on("close", () => {
    // the consumer stopped early: release the connection (the error listener above absorbs the abort)
    if (!res.body.destroyed && !res.body.readableEnded) res.body.destroy();
  });
  res.body.pipe(stream);
  return { size: size ?? -1, stream };
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
  await res.body.dump();
}

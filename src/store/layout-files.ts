import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, open, rename, rm } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { checkDigest } from "../reference/reference.js";
import { createCheckedStream } from "./checked-stream.js";
import { OciLayoutError } from "./layout-errors.js";

/**
 * The name prefix of crossdock's temporary files at the root of a layout. They live in the layout
 * (same filesystem, so the final rename is atomic), as containers/image's do, and are never
 * packed into an archive.
 */
export const tempFilePrefix = ".crossdock-";

/** A fresh temporary file path at the root of a layout (the file is not created). */
export function tempFilePath(root: string): string {
  return path.join(root, `${tempFilePrefix}${randomUUID()}.tmp`);
}

/**
 * Where a blob lives: `blobs/<alg>/<encoded>`. The digest is checked first (a registered algorithm
 * and its length of lower-case hex), so it can never name a path outside the layout.
 * https://github.com/opencontainers/image-spec/blob/main/image-layout.md#blobs
 */
export function blobPath(root: string, digest: string): string {
  const problem = checkDigest(digest);
  if (problem !== undefined) throw new OciLayoutError("DIGEST_INVALID", problem);
  const colon = digest.indexOf(":");
  return path.join(root, "blobs", digest.slice(0, colon), digest.slice(colon + 1));
}

/**
 * Streams `body` into a temporary file while checking its size and digest, flushes it to disk,
 * then renames it to its blob path: a blob in the layout is always complete and correct. On any
 * failure (mismatch, source error, abort) the temporary file is removed and the error rethrown.
 */
export async function writeBlobAtomically(
  root: string,
  digest: string,
  size: number,
  body: Readable,
  signal?: AbortSignal,
): Promise<void> {
  const target = blobPath(root, digest);
  const temp = tempFilePath(root);
  const file = createWriteStream(temp, { flags: "wx" });
  try {
    await pipeline(body, createCheckedStream(digest, size, `blob ${digest}`), file, signal ? { signal } : {});
    await syncFile(temp);
    await mkdir(path.dirname(target), { recursive: true });
    await rename(temp, target);
  } catch (error) {
    body.destroy();
    // The write stream opens its file asynchronously: when a check fails early, the open may still
    // be on its way and would create the file after an rm. Wait until the stream has closed.
    if (!file.closed) await new Promise<void>((resolve) => file.once("close", () => resolve()));
    await rm(temp, { force: true });
    throw error;
  }
}

/** Writes a small file (index.json, oci-layout) by temporary file, fsync and rename: readers see the old or the new file whole. */
export async function writeFileAtomically(root: string, target: string, bytes: Uint8Array): Promise<void> {
  const temp = tempFilePath(root);
  try {
    const handle = await open(temp, "wx");
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

async function syncFile(file: string): Promise<void> {
  const handle = await open(file, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

import path from "node:path";
import type { Readable } from "node:stream";
import { writeFileAtomically } from "../files/atomic-write.js";
import { checkDigest } from "../reference/reference.js";
import { createCheckedStream } from "./checked-stream.js";
import { OciLayoutError } from "./layout-errors.js";

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
 * Streams `body` into a temporary file at the layout's root while checking its size and digest,
 * then renames it to its blob path: a blob in the layout is always complete and correct. On any
 * failure (mismatch, source error, abort) nothing is left behind and the error is rethrown.
 */
export async function writeBlobAtomically(
  root: string,
  digest: string,
  size: number,
  body: Readable,
  signal?: AbortSignal,
): Promise<void> {
  await writeFileAtomically(
    blobPath(root, digest),
    [body, createCheckedStream(digest, size, `blob ${digest}`)],
    {
      tempDir: root,
      createDirectory: true,
      ...(signal ? { signal } : {}),
    },
  );
}

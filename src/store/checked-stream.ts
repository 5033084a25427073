import { createHash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";
import { hashAlgorithmOf } from "../oci/digest.js";
import { OciLayoutError } from "./layout-errors.js";

/**
 * A pass-through stream that hashes and counts what flows through it and errors (instead of
 * ending) when the bytes exceed `size`, fall short of it, or do not hash to `digest`. Every byte a
 * layout reads or writes goes through one, so corrupt content is never committed nor handed on.
 * https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests
 */
export function createCheckedStream(digest: string, size: number, what: string): Transform {
  const hash = createHash(hashAlgorithmOf(digest));
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      seen += chunk.length;
      if (seen > size) {
        callback(new OciLayoutError("SIZE_INVALID", `${what}: more than the expected ${size} bytes`));
        return;
      }
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      if (seen !== size) {
        callback(new OciLayoutError("SIZE_INVALID", `${what}: ${seen} bytes, expected ${size}`));
        return;
      }
      const actual = `${hashAlgorithmOf(digest)}:${hash.digest("hex")}`;
      if (actual !== digest) {
        callback(
          new OciLayoutError("DIGEST_INVALID", `${what}: content has digest ${actual}, expected ${digest}`),
        );
        return;
      }
      callback();
    },
  });
}

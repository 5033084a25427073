import { createHash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";
import { hashAlgorithmOf } from "../oci/digest.js";
import { DigestMismatchError, SizeMismatchError } from "./errors.js";

/**
 * A pass-through that hashes and counts what flows through it and, at the end, errors instead
 * of ending when the digest or size differs from what was expected. More bytes than expected
 * fail at once. `onBytes` sees each chunk's length (for counters). The bytes come over the
 * network, so a mismatch is temporary: they may have changed in transit, and reading again may work.
 */
export function createVerifyingStream(
  what: string,
  expectedDigest: string,
  expectedSize: number | undefined,
  onBytes?: (n: number) => void,
): Transform {
  const hash = createHash(hashAlgorithmOf(expectedDigest));
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      seen += chunk.length;
      onBytes?.(chunk.length);
      if (expectedSize !== undefined && seen > expectedSize) {
        callback(new SizeMismatchError(what, expectedSize, seen, { temporary: true }));
        return;
      }
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      if (expectedSize !== undefined && seen !== expectedSize) {
        callback(new SizeMismatchError(what, expectedSize, seen, { temporary: true }));
        return;
      }
      const actual = `${hashAlgorithmOf(expectedDigest)}:${hash.digest("hex")}`;
      callback(
        actual === expectedDigest
          ? null
          : new DigestMismatchError(what, expectedDigest, actual, { temporary: true }),
      );
    },
  });
}

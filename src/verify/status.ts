import type { VerifyStatus } from "./types.js";

/**
 * Statuses from worst to best. A reference that does not resolve at all is worst; a platform
 * mismatch ranks above a digest mismatch because it is the more specific diagnosis of the same
 * difference (an index and a single image never share a digest) and breaks pulls on some machines;
 * what merely could not be confirmed (source gone, a check that errored) ranks lowest of the failures.
 */
export const statusSeverity: readonly VerifyStatus[] = [
  "missing",
  "platforms-differ",
  "digest-differs",
  "not-public",
  "signatures-missing",
  "source-missing",
  "error",
  "ok",
];

/** The worst of several statuses; "ok" when there are none. */
export function worstStatus(statuses: Iterable<VerifyStatus>): VerifyStatus {
  let worst: VerifyStatus = "ok";
  for (const status of statuses) {
    if (statusSeverity.indexOf(status) < statusSeverity.indexOf(worst)) worst = status;
  }
  return worst;
}

import { CrossdockError } from "../errors.js";

/**
 * Codes of OciLayoutError, named like the distribution spec's error codes where one fits, so a
 * report reads the same for a layout as for a registry.
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#error-codes
 */
export type OciLayoutErrorCode =
  | "MANIFEST_UNKNOWN"
  | "MANIFEST_INVALID"
  | "MANIFEST_BLOB_UNKNOWN"
  | "BLOB_UNKNOWN"
  | "DIGEST_INVALID"
  | "SIZE_INVALID"
  | "LAYOUT_INVALID"
  | "LAYOUT_LOCKED"
  | "LAYOUT_CLOSED";

/** A problem with the content of an OCI image layout or archive (missing, corrupt or refused content). */
export class OciLayoutError extends CrossdockError {
  constructor(code: OciLayoutErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

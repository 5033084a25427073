import { CrossdockError } from "../errors.js";

/**
 * The error codes of the distribution spec, with the HTTP status this registry answers each with.
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#error-codes
 */
export const ErrorCodeStatus = {
  BLOB_UNKNOWN: 404,
  BLOB_UPLOAD_INVALID: 400,
  BLOB_UPLOAD_UNKNOWN: 404,
  DIGEST_INVALID: 400,
  MANIFEST_BLOB_UNKNOWN: 400,
  MANIFEST_INVALID: 400,
  MANIFEST_UNKNOWN: 404,
  NAME_INVALID: 400,
  NAME_UNKNOWN: 404,
  SIZE_INVALID: 400,
  /** distribution's code for a tag outside the grammar (not in the OCI spec's list). */
  TAG_INVALID: 400,
  UNAUTHORIZED: 401,
  DENIED: 403,
  UNSUPPORTED: 405,
  TOOMANYREQUESTS: 429,
} as const;

/** A spec error code (`BLOB_UNKNOWN`, `MANIFEST_BLOB_UNKNOWN`, ...). */
export type RegistryErrorCode = keyof typeof ErrorCodeStatus;

/**
 * An error the server answers a request with: an HTTP status and one entry of the spec's
 * `{"errors":[{"code","message","detail"}]}` body. Thrown by route handlers, caught by the server.
 */
export class ServeError extends CrossdockError {
  readonly status: number;
  readonly detail: unknown;
  /** Extra response headers (a `WWW-Authenticate` challenge, `Retry-After`, `Range`). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: RegistryErrorCode,
    message: string,
    options: { detail?: unknown; status?: number; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(code, message, options.cause === undefined ? {} : { cause: options.cause });
    this.status = options.status ?? ErrorCodeStatus[code];
    this.detail = options.detail ?? null;
    this.headers = options.headers ?? {};
  }

  /** The JSON body of the spec's error response. */
  toBody(): string {
    return JSON.stringify({ errors: [{ code: this.code, message: this.message, detail: this.detail }] });
  }
}

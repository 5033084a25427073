import { CrossdockError, type ErrorCode } from "../errors.js";
import { redactSecrets } from "../redact-secrets.js";

/** One entry of the spec's error body: `{"errors":[{"code":"MANIFEST_UNKNOWN","message":"..."}]}`. */
export interface RegistryErrorDetail {
  readonly code: string;
  readonly message?: string;
}

/** What a RegistryError is built from. */
export interface RegistryErrorInit {
  readonly code: ErrorCode;
  readonly message: string;
  readonly host: string;
  readonly url: string;
  readonly status?: number;
  readonly errors?: readonly RegistryErrorDetail[];
  readonly temporary?: boolean;
  readonly cause?: unknown;
}

/**
 * A registry answered with an error, or could not be reached. `code` is the first spec error code
 * from the body (MANIFEST_UNKNOWN, DENIED, ...) or one derived from the status or failure
 * (UNAUTHORIZED, UNREACHABLE, ...); `url` is redacted (no query, no userinfo); `temporary` says
 * whether trying again later may succeed (5xx, 429, resets). The message and the body's messages
 * pass through redactSecrets: registries quote what they were sent.
 * https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#error-codes
 */
export class RegistryError extends CrossdockError {
  readonly status?: number;
  readonly errors: readonly RegistryErrorDetail[];
  readonly url: string;
  readonly host: string;

  constructor(init: RegistryErrorInit) {
    super(init.code, redactSecrets(init.message), {
      ...(init.cause !== undefined ? { cause: init.cause } : {}),
      temporary: init.temporary ?? false,
    });
    if (init.status !== undefined) this.status = init.status;
    this.errors = (init.errors ?? []).map((e) =>
      e.message === undefined ? e : { ...e, message: redactSecrets(e.message) },
    );
    this.url = init.url;
    this.host = init.host;
  }
}

/**
 * Bytes read from a registry do not hash to the digest they were asked for by. `temporary` when
 * they may have changed in transit (reading them again may give the right ones).
 */
export class DigestMismatchError extends CrossdockError {
  readonly expected: string;
  readonly actual: string;

  constructor(what: string, expected: string, actual: string, options?: { temporary?: boolean }) {
    super("DIGEST_MISMATCH", `${what}: content has digest ${actual}, expected ${expected}`, {
      temporary: options?.temporary ?? false,
    });
    this.expected = expected;
    this.actual = actual;
  }
}

/**
 * A blob's byte count differs from the size its descriptor (or Content-Length) promised.
 * `temporary` when the bytes came over the network (a body cut short in transit).
 */
export class SizeMismatchError extends CrossdockError {
  readonly expected: number;
  readonly actual: number;

  constructor(what: string, expected: number, actual: number, options?: { temporary?: boolean }) {
    super("SIZE_MISMATCH", `${what}: got ${actual} bytes, expected ${expected}`, {
      temporary: options?.temporary ?? false,
    });
    this.expected = expected;
    this.actual = actual;
  }
}

/**
 * A URL safe to print: no userinfo and no query (upload locations and presigned storage URLs
 * carry tokens in their query strings).
 */
export function redactUrl(url: URL | string): string {
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    const hadQuery = parsed.search !== "";
    parsed.search = "";
    parsed.hash = "";
    return parsed.toString() + (hadQuery ? "?…" : "");
  } catch {
    return "<invalid URL>";
  }
}

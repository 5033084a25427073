import { type IncomingMessage, STATUS_CODES } from "node:http";
import type { Readable } from "node:stream";
import type { ErrorCode } from "../errors.js";
import { redactSecrets } from "../redact-secrets.js";
import { RegistryError, type RegistryErrorDetail, redactUrl } from "./errors.js";
import type { HttpResponse } from "./transport.js";

/** Error bodies are read up to this size: enough for the spec's JSON, bounded against a bad server. */
const errorBodyLimit = 64 * 1024;

/** Reads a body to bytes, failing when it is larger than `limit`. */
export async function readBytesLimited(body: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    total += buffer.length;
    if (total > limit) {
      body.destroy();
      throw new RangeError(`response body larger than ${limit} bytes`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Reads a body as UTF-8 text, failing when it is larger than `limit`. */
export async function readLimited(body: Readable, limit: number): Promise<string> {
  return (await readBytesLimited(body, limit)).toString("utf8");
}

/** Reads at most the first 64 KiB of an error body (the rest is discarded); never throws. */
export async function readErrorBody(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of body) {
      const buffer = chunk as Buffer;
      chunks.push(buffer.subarray(0, Math.max(0, errorBodyLimit - total)));
      total += buffer.length;
      if (total >= errorBodyLimit) {
        body.destroy();
        break;
      }
    }
  } catch {
    // a reset while reading an error body leaves the status to report
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The spec error entries of a body, or [] when it is not the spec's JSON. */
export function parseErrorDetails(text: string): RegistryErrorDetail[] {
  try {
    const parsed = JSON.parse(text) as { errors?: unknown };
    if (!Array.isArray(parsed.errors)) return [];
    return parsed.errors.flatMap((entry: unknown) => {
      if (typeof entry !== "object" || entry === null) return [];
      const { code, message } = entry as { code?: unknown; message?: unknown };
      if (typeof code !== "string") return [];
      return [typeof message === "string" ? { code, message } : { code }];
    });
  } catch {
    return [];
  }
}

/** How to describe a failed request. */
export interface ErrorContext {
  readonly registry: string;
  /** What was asked for, e.g. `manifest 127.0.0.1:5000/app:1.0`. */
  readonly what: string;
  /** The code of a 404 (MANIFEST_UNKNOWN, BLOB_UNKNOWN, NAME_UNKNOWN, ...). */
  readonly notFoundCode: ErrorCode;
  /** Added to the message of a 401/403 (e.g. where the credentials came from). */
  readonly authHint?: string;
  /** The credentials sent to this registry, in every form sent: hidden wherever the body quotes them. */
  readonly secrets?: readonly string[];
}

/**
 * Turns an unsuccessful response into a RegistryError, reading the spec error body with a size
 * cap. A 404 always has the operation's `notFoundCode` (the body's codes stay in `errors`); other
 * statuses take the body's first code, else one derived from the status.
 */
export async function errorFromResponse(res: HttpResponse, context: ErrorContext): Promise<RegistryError> {
  const text = redactSecrets(await readErrorBody(res.body), context.secrets);
  const errors = parseErrorDetails(text);
  const status = res.status;
  // A registry's own code outside the spec's list is kept as it sent it (README, "Error codes").
  const code =
    status === 404
      ? context.notFoundCode
      : ((errors[0]?.code as ErrorCode | undefined) ?? codeOfStatus(status));
  const detail = errors
    .map((e) => (e.message !== undefined && e.message !== "" ? e.message : e.code))
    .filter((m) => m !== "")
    .join("; ");
  let message = `${context.what}: ${status} ${STATUS_CODES[status] ?? ""}`.trimEnd();
  if (detail !== "") message += ` (${detail.slice(0, 300)})`;
  if ((status === 401 || status === 403) && context.authHint !== undefined)
    message += `; ${context.authHint}`;
  if (status === 429) message += "; rate limited: try again later or authenticate for a higher limit";
  return new RegistryError({
    code,
    message,
    host: context.registry,
    url: redactUrl(res.url),
    status,
    errors,
    // DIGEST_INVALID: the bytes arrived other than they were sent (the sender checked them), so
    // sending them again may work. https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#error-codes
    temporary: status === 429 || status >= 500 || code === "DIGEST_INVALID",
  });
}

function codeOfStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return "BAD_REQUEST";
    case 401:
      return "UNAUTHORIZED";
    case 403:
      return "DENIED";
    case 405:
      return "UNSUPPORTED";
    case 416:
      return "RANGE_INVALID";
    case 429:
      return "TOOMANYREQUESTS";
    default:
      return status >= 500 ? "REGISTRY_UNAVAILABLE" : `HTTP_${status}`;
  }
}

/**
 * Discards a response body the caller does not need, so its connection goes back to the pool; a
 * large body (more than 128 KiB still to come) closes the connection instead of being read.
 */
export async function discardBody(body: Readable): Promise<void> {
  if (body.readableEnded || body.destroyed) return;
  const message = body as Partial<IncomingMessage>;
  // A complete message (a HEAD's, whatever its Content-Length says) has nothing left to read.
  const remaining = message.complete ? 0 : Number(message.headers?.["content-length"] ?? Number.NaN);
  if (remaining > 128 * 1024) {
    body.destroy();
    return;
  }
  body.resume();
  await new Promise<void>((resolve, reject) => {
    body.once("end", resolve);
    body.once("close", resolve);
    body.once("error", reject);
  });
}

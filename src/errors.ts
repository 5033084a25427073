import type { ErrorCode } from "./error-codes.js";

export { type ErrorCode, errorCodes } from "./error-codes.js";

/** What a CrossdockError is built with besides its code and message. */
export interface CrossdockErrorOptions {
  readonly cause?: unknown;
  /**
   * Whether trying the same thing again later may succeed (a 5xx, a 429, a reset, a stalled
   * peer). Callers decide retry or skip by this flag, not by the error's class. Default false.
   */
  readonly temporary?: boolean;
}

/**
 * The base error of crossdock: a stable `code` a script can match on, an optional `cause`, and
 * whether the failure is `temporary`. Every layer's errors extend it (see STYLE.md).
 */
export class CrossdockError extends Error {
  readonly code: string;
  readonly temporary: boolean;

  constructor(code: ErrorCode, message: string, options?: CrossdockErrorOptions) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = new.target.name;
    this.code = code;
    this.temporary = options?.temporary ?? false;
  }
}

/** Whether an error says that trying again may succeed (a CrossdockError with `temporary` set). */
export function isTemporary(error: unknown): boolean {
  return error instanceof CrossdockError && error.temporary;
}

/**
 * Bad input from the user (a malformed reference, flag, config file, credential store):
 * the CLI reports it and exits 2, having touched nothing.
 */
export class UsageError extends CrossdockError {
  constructor(message: string, options?: { cause?: unknown; code?: ErrorCode }) {
    super(
      options?.code ?? "USAGE",
      message,
      options?.cause !== undefined ? { cause: options.cause } : undefined,
    );
  }
}

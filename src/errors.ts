/**
 * The base error of crossdock: a stable `code` a script can match on, and an optional `cause`.
 * Every layer's errors extend it (see STYLE.md).
 */
export class CrossdockError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * Bad input from the user (a malformed reference, flag, config file, credential store):
 * the CLI reports it and exits 2, having touched nothing.
 */
export class UsageError extends CrossdockError {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? "USAGE", message, options);
  }
}

import { CrossdockError, UsageError } from "../../errors.js";

/**
 * A credential store the user configured is malformed: a config file that is not valid JSON, an
 * `auth` that is not base64 of `user:password`, half of a pair of environment variables. Names the
 * file or variable (and the host), never the secret. Bad input: the CLI exits 2.
 */
export class CredentialConfigError extends UsageError {
  /** The file path or environment variable at fault. */
  readonly origin: string;

  constructor(origin: string, message: string) {
    super(message, { code: "CREDENTIAL_CONFIG" });
    this.origin = origin;
  }
}

/**
 * A credential helper (`docker-credential-<name>`) is missing, timed out, failed, or answered
 * something that is not the protocol's JSON. Names the helper and the host, never the secret.
 */
export class CredentialHelperError extends CrossdockError {
  /** The helper program, e.g. `docker-credential-pass`. */
  readonly helper: string;
  /** The registry host the credential was asked for. */
  readonly host: string;

  constructor(helper: string, host: string, message: string) {
    super("CREDENTIAL_HELPER", message);
    this.helper = helper;
    this.host = host;
  }
}

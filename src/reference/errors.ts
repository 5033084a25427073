import { UsageError } from "../errors.js";

/** A string that is not a valid image reference, digest, tag or mapping rule. Bad input: exit 2. */
export class InvalidReferenceError extends UsageError {
  readonly input: string;
  readonly reason: string;

  constructor(input: string, reason: string) {
    super(`invalid reference "${input}": ${reason}`, { code: "INVALID_REFERENCE" });
    this.input = input;
    this.reason = reason;
  }
}

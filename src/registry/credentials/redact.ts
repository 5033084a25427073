import type { Credential } from "./types.js";

const inspectCustom = Symbol.for("nodejs.util.inspect.custom");

/** A one-line summary of a credential that is safe to print: its kind and user name, never the secret. */
export function describeCredential(credential: Credential): string {
  switch (credential.kind) {
    case "basic":
      return `user "${credential.username}" with a password`;
    case "identity-token":
      return credential.username === undefined
        ? "an identity token"
        : `an identity token for user "${credential.username}"`;
    case "registry-token":
      return "a registry token";
  }
}

/**
 * Makes `String(c)`, `JSON.stringify(c)`, `util.inspect(c)` and `console.log(c)` print the safe
 * summary instead of the secret, so a stray log line cannot leak it. The added members are not
 * enumerable: spreading and `deepStrictEqual` see only the plain fields.
 */
export function hideSecret<T extends Credential>(credential: T): T {
  const summary = `[Credential: ${describeCredential(credential)}]`;
  const hidden = (): string => summary;
  Object.defineProperties(credential, {
    toString: { value: hidden, enumerable: false },
    toJSON: { value: hidden, enumerable: false },
    [inspectCustom]: { value: hidden, enumerable: false },
  });
  return Object.freeze(credential);
}

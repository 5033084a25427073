import { Buffer } from "node:buffer";
import type { AuthEntry } from "./auth-file.js";
import { CredentialConfigError } from "./errors.js";
import { hideSecret } from "./redact.js";
import type { Credential } from "./types.js";

/** Standard base64 with padding, what docker and containers/image accept (`base64.StdEncoding`). */
const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The credential of one `auths` entry, or undefined for an entry with nothing in it (docker writes
 * `{}` for hosts whose secret is in `credsStore`). `identitytoken` wins over a password, as in docker;
 * `registrytoken` is a bearer token. An `auth` that is not base64 of `user:password`, or a user name
 * without a password, is a `CredentialConfigError` naming the file, key and host, never the value.
 */
export function decodeAuthEntry(
  file: string,
  key: string,
  host: string,
  entry: AuthEntry,
): Credential | undefined {
  const at = `${file}: auths["${key}"] (for ${host})`;
  let username = nonEmpty(entry.username);
  let password = nonEmpty(entry.password);
  const auth = nonEmpty(entry.auth);
  if (auth !== undefined) {
    const compact = auth.replace(/\s+/g, "");
    const decoded = base64.test(compact) ? Buffer.from(compact, "base64").toString("utf8") : "";
    const colon = decoded.indexOf(":");
    if (colon <= 0) throw new CredentialConfigError(file, `${at}: "auth" is not base64 of "user:password"`);
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  const identityToken = nonEmpty(entry.identitytoken);
  if (identityToken !== undefined) {
    return hideSecret(
      username === undefined
        ? { kind: "identity-token", token: identityToken }
        : { kind: "identity-token", username, token: identityToken },
    );
  }
  const registryToken = nonEmpty(entry.registrytoken);
  if (registryToken !== undefined) return hideSecret({ kind: "registry-token", token: registryToken });
  if (username !== undefined && password !== undefined)
    return hideSecret({ kind: "basic", username, password });
  if (username !== undefined)
    throw new CredentialConfigError(file, `${at}: has a "username" but no "password"`);
  if (password !== undefined)
    throw new CredentialConfigError(file, `${at}: has a "password" but no "username"`);
  return undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

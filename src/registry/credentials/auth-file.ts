import { readFile } from "node:fs/promises";
import { CredentialConfigError } from "./errors.js";
import { type AuthKey, parseAuthKey } from "./registry-host.js";

/**
 * One entry of `auths`, fields as docker's `AuthConfig` and containers-auth.json(5) name them.
 * Only the fields crossdock reads are kept; any other field (`email`) is ignored.
 */
export interface AuthEntry {
  readonly auth?: string;
  readonly username?: string;
  readonly password?: string;
  readonly identitytoken?: string;
  readonly registrytoken?: string;
}

/**
 * A docker `config.json` or a podman `auth.json`, checked for shape but with secrets still encoded:
 * an entry is decoded only when its host is asked for (`decodeAuthEntry`), so a broken entry for
 * another registry does not stop a lookup.
 */
export interface AuthFile {
  readonly path: string;
  /** `auths` in file order, keyed as written (`ghcr.io`, `https://index.docker.io/v1/`, `quay.io/org`). */
  readonly auths: ReadonlyMap<string, AuthEntry>;
  /** `credHelpers` in file order: key as written to helper name. */
  readonly credHelpers: ReadonlyMap<string, string>;
  /** `credsStore`, the default helper, when set and not empty. */
  readonly credsStore?: string;
}

/**
 * Reads and checks an auth file. Undefined when the file does not exist; a file that is not JSON
 * or not the expected shape is a `CredentialConfigError` naming the file and the position, never
 * the text around it (JSON.parse's own message quotes the input, which may be a password).
 */
export async function readAuthFile(path: string): Promise<AuthFile | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw new CredentialConfigError(path, `cannot read credentials file ${path}: ${code ?? "read failed"}`);
  }
  text = text.replace(/^\uFEFF/, "");
  if (text.trim() === "") return { path, auths: new Map(), credHelpers: new Map() };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CredentialConfigError(path, `credentials file ${path} is not valid JSON${where(text, error)}`);
  }
  if (!isObject(data)) throw new CredentialConfigError(path, `credentials file ${path} is not a JSON object`);
  const auths = new Map<string, AuthEntry>();
  for (const [key, value] of Object.entries(objectField(path, data, "auths"))) {
    auths.set(key, checkEntry(path, key, value));
  }
  const credHelpers = new Map<string, string>();
  for (const [key, value] of Object.entries(objectField(path, data, "credHelpers"))) {
    if (typeof value !== "string") {
      throw new CredentialConfigError(
        path,
        `${path}: credHelpers["${key}"] must be a helper name (a string)`,
      );
    }
    credHelpers.set(key, value);
  }
  const store = data["credsStore"];
  if (store !== undefined && typeof store !== "string") {
    throw new CredentialConfigError(path, `${path}: credsStore must be a helper name (a string)`);
  }
  return store === undefined || store === ""
    ? { path, auths, credHelpers }
    : { path, auths, credHelpers, credsStore: store };
}

/**
 * The `auths` entries that apply to a lookup, most specific first. Keys are compared by host
 * (scheme, port case and Docker Hub aliases normalized). With `namespaces` (podman), a key such as
 * `quay.io/org` applies only to `quay.io/org` and below, and the longest match comes first; without
 * it (docker), a key's path is ignored, as docker's `ConvertToHostname` does.
 */
export function matchAuthEntries(
  file: AuthFile,
  lookup: AuthKey,
  namespaces: boolean,
): Array<{ key: string; entry: AuthEntry }> {
  const matches: Array<{ key: string; entry: AuthEntry; depth: number }> = [];
  for (const [key, entry] of file.auths) {
    const parsed = parseAuthKey(key);
    if (parsed.host !== lookup.host) continue;
    if (!namespaces || parsed.path === "") {
      matches.push({ key, entry, depth: 0 });
    } else if (lookup.path === parsed.path || lookup.path.startsWith(`${parsed.path}/`)) {
      matches.push({ key, entry, depth: parsed.path.split("/").length });
    }
  }
  // Stable sort: among equally specific keys, file order decides.
  return matches.sort((a, b) => b.depth - a.depth).map(({ key, entry }) => ({ key, entry }));
}

/** The keys of `credHelpers` whose host is the lookup's host, in file order. */
export function matchCredHelper(file: AuthFile, host: string): { key: string; helper: string } | undefined {
  for (const [key, helper] of file.credHelpers) {
    if (helper !== "" && parseAuthKey(key).host === host) return { key, helper };
  }
  return undefined;
}

function checkEntry(path: string, key: string, value: unknown): AuthEntry {
  if (!isObject(value)) throw new CredentialConfigError(path, `${path}: auths["${key}"] must be an object`);
  const entry: { -readonly [K in keyof AuthEntry]: string } = {};
  for (const field of ["auth", "username", "password", "identitytoken", "registrytoken"] as const) {
    const fieldValue = value[field];
    if (fieldValue === undefined || fieldValue === null) continue;
    if (typeof fieldValue !== "string") {
      throw new CredentialConfigError(path, `${path}: auths["${key}"].${field} must be a string`);
    }
    entry[field] = fieldValue;
  }
  return entry;
}

function objectField(path: string, data: Record<string, unknown>, name: string): Record<string, unknown> {
  const value = data[name];
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw new CredentialConfigError(path, `${path}: ${name} must be an object`);
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** ` (line L, column C)` from JSON.parse's "at position N", or "" when it gives none. */
function where(text: string, error: unknown): string {
  const match = /at position (\d+)/.exec(error instanceof Error ? error.message : "");
  if (match === null) return "";
  const before = text.slice(0, Number(match[1]));
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return ` (line ${line}, column ${column})`;
}

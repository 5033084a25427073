import { anchoredDomain } from "../../reference/grammar.js";
import { envHostKey, normalizeRegistryHost } from "../../registry/credentials/registry-host.js";
import type { ConfigField, ConfigReader } from "./nodes.js";
import type { RegistrySettings } from "./types.js";

const registryFields = ["insecure", "usernameEnv", "passwordEnv", "tokenEnv"] as const;

/** A POSIX-style environment variable name: what `*Env` fields hold (a value there is a leaked secret). */
const variableName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Token shapes that are valid variable names but are secrets: GitHub (`ghp_`, `gho_`, `ghu_`, `ghs_`,
 * `ghr_`, `github_pat_`), Docker Hub (`dckr_pat_`), and any long run of mixed-case letters and digits.
 */
const secretShape =
  /^(?:gh[opusr]_|github_pat_|dckr_pat_)|^(?=.*[a-z])(?=.*[A-Z])(?=.*[0-9])[A-Za-z0-9_]{30,}$/;

/**
 * Reads `registries:`, keyed by host (`ghcr.io`, `registry.local:5000`; Docker Hub aliases are one
 * host). `usernameEnv` and `passwordEnv` go together; `tokenEnv` stands alone, as the
 * `CROSSDOCK_AUTH_<HOST>_*` variables they are mapped onto.
 */
export function readRegistries(reader: ConfigReader, field: ConfigField): RegistrySettings[] {
  const entries = reader.entries(field);
  if (entries === undefined) return [];
  const registries: Array<RegistrySettings & { readonly path: string }> = [];
  for (const [key, entry] of entries) {
    const host = readHost(reader, key, entry);
    const fields = reader.fields(entry, registryFields);
    if (host === undefined || fields === undefined) continue;
    const twin = registries.find((other) => other.host === host);
    if (twin !== undefined) {
      reader.report({ path: entry.path, key: entry.key }, `the same registry as ${twin.path} (${host})`);
      continue;
    }
    const insecureField = fields.get("insecure");
    const insecure = insecureField === undefined ? false : reader.boolean(insecureField);
    const names: Partial<Record<"usernameEnv" | "passwordEnv" | "tokenEnv", string>> = {};
    let ok = insecure !== undefined;
    for (const name of ["usernameEnv", "passwordEnv", "tokenEnv"] as const) {
      const variable = fields.get(name);
      if (variable === undefined) continue;
      const value = readVariableName(reader, variable);
      if (value === undefined) ok = false;
      else names[name] = value;
    }
    for (const [one, other] of [
      ["usernameEnv", "passwordEnv"],
      ["passwordEnv", "usernameEnv"],
    ] as const) {
      if (names[one] !== undefined && names[other] === undefined && !fields.has(other)) {
        reader.report(
          fields.get(one)!,
          `${one} needs ${other} too (or use tokenEnv alone for a bearer token)`,
        );
        ok = false;
      }
    }
    if (fields.has("tokenEnv") && (fields.has("usernameEnv") || fields.has("passwordEnv"))) {
      reader.report(
        fields.get("tokenEnv")!,
        "tokenEnv is a bearer token used alone: drop it, or drop usernameEnv and passwordEnv (a personal access token goes in passwordEnv)",
      );
      ok = false;
    }
    if (!ok || insecure === undefined) continue;
    registries.push({ host, insecure, path: entry.path, ...names });
  }
  return registries.map(({ path: _path, ...settings }) => settings);
}

function readHost(reader: ConfigReader, key: string, entry: ConfigField): string | undefined {
  const host = normalizeRegistryHost(key);
  if (host === "" || key.includes("/") || !anchoredDomain.test(host)) {
    reader.report(
      { path: entry.path, key: entry.key },
      "want a registry host with an optional port, such as ghcr.io or registry.local:5000 (no scheme or path)",
    );
    return undefined;
  }
  return host;
}

function readVariableName(reader: ConfigReader, field: ConfigField): string | undefined {
  const text = reader.string(field);
  if (text === undefined) return undefined;
  if (variableName.test(text) && !secretShape.test(text)) return text;
  // Never echo what was written: it is most likely the secret itself, pasted in the wrong place.
  reader.report(field, "want the name of an environment variable (such as GITHUB_TOKEN), not its value");
  return undefined;
}

/**
 * A copy of `env` with each registry's credential variables copied onto the
 * `CROSSDOCK_AUTH_<HOST>_USERNAME`/`_PASSWORD` or `_TOKEN` names that `findEnvCredential` reads.
 * A host is mapped only when all its variables are set and non-empty (an empty variable is unset, as
 * Actions expands a missing secret to ""); then any `CROSSDOCK_AUTH_<HOST>_*` already there is
 * replaced, so the two never mix. Otherwise the host is left to the other sources (docker config,
 * podman auth files), as a `GITHUB_TOKEN` without `GITHUB_ACTOR` is. Values are never logged.
 */
export function mapCredentialEnv(
  registries: readonly RegistrySettings[],
  env: NodeJS.ProcessEnv,
): NodeJS.ProcessEnv {
  const mapped: NodeJS.ProcessEnv = { ...env };
  for (const registry of registries) {
    const prefix = `CROSSDOCK_AUTH_${envHostKey(registry.host)}_`;
    let values: Record<string, string> | undefined;
    if (registry.tokenEnv !== undefined) {
      const token = read(env, registry.tokenEnv);
      if (token !== undefined) values = { TOKEN: token };
    } else if (registry.usernameEnv !== undefined && registry.passwordEnv !== undefined) {
      const username = read(env, registry.usernameEnv);
      const password = read(env, registry.passwordEnv);
      if (username !== undefined && password !== undefined)
        values = { USERNAME: username, PASSWORD: password };
    }
    if (values === undefined) continue;
    for (const suffix of ["USERNAME", "PASSWORD", "TOKEN"]) delete mapped[`${prefix}${suffix}`];
    for (const [suffix, value] of Object.entries(values)) mapped[`${prefix}${suffix}`] = value;
  }
  return mapped;
}

function read(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === "" ? undefined : value;
}

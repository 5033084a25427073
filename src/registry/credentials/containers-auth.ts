import path from "node:path";
import { type AuthFile, matchAuthEntries } from "./auth-file.js";
import { decodeAuthEntry } from "./decode-auth-entry.js";
import type { AuthKey } from "./registry-host.js";
import type { FoundCredential } from "./types.js";

/**
 * podman's (containers/image) auth files, in the order they are searched: `$REGISTRY_AUTH_FILE`,
 * `$XDG_RUNTIME_DIR/containers/auth.json`, then `${XDG_CONFIG_HOME:-~/.config}/containers/auth.json`.
 * See containers-auth.json(5).
 */
export function containersAuthPaths(env: NodeJS.ProcessEnv, homeDir: string): string[] {
  const paths: string[] = [];
  const explicit = env["REGISTRY_AUTH_FILE"];
  if (explicit !== undefined && explicit !== "") paths.push(explicit);
  const runtime = env["XDG_RUNTIME_DIR"];
  if (runtime !== undefined && runtime !== "") paths.push(path.join(runtime, "containers", "auth.json"));
  const configHome = env["XDG_CONFIG_HOME"];
  const config = configHome !== undefined && configHome !== "" ? configHome : path.join(homeDir, ".config");
  paths.push(path.join(config, "containers", "auth.json"));
  return paths;
}

/**
 * A host's credential from one podman auth file's `auths`. A lookup with a namespace path
 * (`quay.io/org/repo`) takes the longest matching key (`quay.io/org` before `quay.io`).
 */
export function findInContainersAuth(file: AuthFile, lookup: AuthKey): FoundCredential | undefined {
  for (const { key, entry } of matchAuthEntries(file, lookup, true)) {
    const credential = decodeAuthEntry(file.path, key, lookup.host, entry);
    if (credential !== undefined) return { credential, origin: `auths["${key}"] in ${file.path}` };
  }
  return undefined;
}

import path from "node:path";
import { type AuthFile, matchAuthEntries, matchCredHelper } from "./auth-file.js";
import { type HelperOptions, runCredentialHelper } from "./credential-helper.js";
import { decodeAuthEntry } from "./decode-auth-entry.js";
import type { AuthKey } from "./registry-host.js";
import type { FoundCredential } from "./types.js";

/** docker's config file: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json` (docker/cli `config.Dir`). */
export function dockerConfigPath(env: NodeJS.ProcessEnv, homeDir: string): string {
  const dir = env["DOCKER_CONFIG"];
  return dir !== undefined && dir !== ""
    ? path.join(dir, "config.json")
    : path.join(homeDir, ".docker", "config.json");
}

/**
 * A host's credential from a docker config: `credHelpers[host]` first, then `auths[host]`, then
 * `credsStore` (the default helper). A step with nothing for the host (a helper answering "not found",
 * the `{}` placeholder docker writes beside a `credsStore`) goes on to the next.
 */
export async function findInDockerConfig(
  file: AuthFile,
  lookup: AuthKey,
  helperOptions: HelperOptions,
): Promise<FoundCredential | undefined> {
  const host = lookup.host;
  const helper = matchCredHelper(file, host);
  if (helper !== undefined) {
    const credential = await runCredentialHelper(helper.helper, host, helperOptions);
    if (credential !== undefined) {
      return {
        credential,
        origin: `credential helper docker-credential-${helper.helper} (credHelpers["${helper.key}"] in ${file.path})`,
      };
    }
  }
  for (const { key, entry } of matchAuthEntries(file, { host, path: "" }, false)) {
    const credential = decodeAuthEntry(file.path, key, host, entry);
    if (credential !== undefined) return { credential, origin: `auths["${key}"] in ${file.path}` };
  }
  if (file.credsStore !== undefined) {
    const credential = await runCredentialHelper(file.credsStore, host, helperOptions);
    if (credential !== undefined) {
      return {
        credential,
        origin: `credential helper docker-credential-${file.credsStore} (credsStore in ${file.path})`,
      };
    }
  }
  return undefined;
}

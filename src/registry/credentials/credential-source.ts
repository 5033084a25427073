import os from "node:os";
import { type AuthFile, readAuthFile } from "./auth-file.js";
import { containersAuthPaths, findInContainersAuth } from "./containers-auth.js";
import { dockerConfigPath, findInDockerConfig } from "./docker-config.js";
import { envVariableNames, findEnvCredential } from "./env-credentials.js";
import { type AuthKey, parseAuthKey } from "./registry-host.js";
import type { Credential, CredentialSource, FoundCredential } from "./types.js";

/** Options of `createCredentialSource`. Every field is optional; defaults are resolved in one place below. */
export interface CredentialSourceOptions {
  /** Environment to read (variables, `DOCKER_CONFIG`, `REGISTRY_AUTH_FILE`...) and to run helpers with. */
  readonly env?: NodeJS.ProcessEnv;
  /** Home directory for `~/.docker/config.json` and `~/.config/containers/auth.json`. */
  readonly homeDir?: string;
  /** How long a credential helper may take before it is killed and the lookup fails. */
  readonly helperTimeoutMs?: number;
}

/**
 * The credential source crossdock uses: for a host, the first of
 * 1. environment variables for CI (see `findEnvCredential`: `CROSSDOCK_AUTH_<HOST>_USERNAME`/`_PASSWORD`
 *    or `_TOKEN`; `GITHUB_ACTOR`+`GITHUB_TOKEN` for ghcr.io; `DOCKERHUB_USERNAME`+`DOCKERHUB_TOKEN` for docker.io);
 * 2. the docker config (`$DOCKER_CONFIG/config.json` or `~/.docker/config.json`): `credHelpers[host]`,
 *    `auths[host]`, then `credsStore`;
 * 3. podman auth files: `$REGISTRY_AUTH_FILE`, `$XDG_RUNTIME_DIR/containers/auth.json`,
 *    `~/.config/containers/auth.json`.
 * Hosts are normalized first (Docker Hub aliases are one host). Each host's result is cached for the
 * life of the source; a failed lookup is not cached, so it can be tried again.
 */
export function createCredentialSource(options: CredentialSourceOptions = {}): CredentialSource {
  // The process's own environment and home, unless a caller (a test, an embedding tool) says otherwise.
  const env = options.env ?? process.env;
  const homeDir = options.homeDir ?? (env["HOME"] || os.homedir());
  // docker's own helper calls have no timeout; 10 s is far above a keychain read and bounds a stuck prompt.
  const helperTimeoutMs = options.helperTimeoutMs ?? 10_000;

  const dockerPath = dockerConfigPath(env, homeDir);
  const containersPaths = containersAuthPaths(env, homeDir);
  const files = new Map<string, Promise<AuthFile | undefined>>();
  const lookups = new Map<string, Promise<FoundCredential | undefined>>();
  const settled = new Map<string, FoundCredential | null>();

  const readOnce = (path: string): Promise<AuthFile | undefined> => {
    let file = files.get(path);
    if (file === undefined) {
      file = readAuthFile(path);
      files.set(path, file);
    }
    return file;
  };

  const lookUp = async (key: AuthKey): Promise<FoundCredential | undefined> => {
    const fromEnv = findEnvCredential(key.host, env);
    if (fromEnv !== undefined) return fromEnv;
    const dockerConfig = await readOnce(dockerPath);
    if (dockerConfig !== undefined) {
      // Not the caller's signal: the lookup is shared by every caller for the host, and bounded by the timeout.
      const found = await findInDockerConfig(dockerConfig, key, { env, timeoutMs: helperTimeoutMs });
      if (found !== undefined) return found;
    }
    for (const path of containersPaths) {
      const file = await readOnce(path);
      const found = file === undefined ? undefined : findInContainersAuth(file, key);
      if (found !== undefined) return found;
    }
    return undefined;
  };

  const places = (host: string): string =>
    [...envVariableNames(host), dockerPath, ...containersPaths].join(", ");

  return {
    async get(host: string, signal?: AbortSignal): Promise<Credential | undefined> {
      signal?.throwIfAborted();
      const key = parseAuthKey(host);
      const id = cacheId(key);
      let lookup = lookups.get(id);
      if (lookup === undefined) {
        lookup = lookUp(key).then(
          (found) => {
            settled.set(id, found ?? null);
            return found;
          },
          (error: unknown) => {
            lookups.delete(id);
            throw error;
          },
        );
        lookups.set(id, lookup);
      }
      const found = await raceAbort(lookup, signal);
      return found?.credential;
    },

    describe(host: string): string {
      const key = parseAuthKey(host);
      const found = settled.get(cacheId(key));
      if (found === undefined) return `credentials for ${key.host} from the first of: ${places(key.host)}`;
      if (found === null) return `no credentials for ${key.host} (looked in ${places(key.host)})`;
      return `credentials for ${key.host} from ${found.origin}`;
    },
  };
}

function cacheId(key: AuthKey): string {
  return key.path === "" ? key.host : `${key.host}/${key.path}`;
}

/** The promise's result, or the signal's reason as soon as it aborts (the work itself goes on). */
async function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  let onAbort = (): void => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

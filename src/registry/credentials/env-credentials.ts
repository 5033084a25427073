import { CredentialConfigError } from "./errors.js";
import { hideSecret } from "./redact.js";
import { dockerHubHost, envHostKey } from "./registry-host.js";
import type { FoundCredential } from "./types.js";

/**
 * Credentials from environment variables, for CI. Checked first, in this order, for a canonical host:
 *
 * 1. `CROSSDOCK_AUTH_<HOST>_USERNAME` + `CROSSDOCK_AUTH_<HOST>_PASSWORD`: basic credentials;
 *    `CROSSDOCK_AUTH_<HOST>_TOKEN` alone: a registry (bearer) token sent as is. `<HOST>` is the host
 *    upper-cased with every non-alphanumeric as `_`: `GHCR_IO`, `LOCALHOST_5000`, `DOCKER_IO` for
 *    Docker Hub (whatever alias is asked for).
 * 2. ghcr.io only: `GITHUB_TOKEN` with `GITHUB_ACTOR` as the user name, what GitHub Actions provides.
 *    Both must be set, so a developer's local `GITHUB_TOKEN` (often without `read:packages`) is not
 *    sent unless `GITHUB_ACTOR` says this is Actions. Never used for any other host.
 * 3. docker.io only: `DOCKERHUB_USERNAME` + `DOCKERHUB_TOKEN` (the names docker/login-action documents).
 *
 * An empty variable counts as unset (Actions expands a missing secret to ""). Half a pair
 * (a user name without a password, or the reverse) or a password and a token together is a
 * `CredentialConfigError` naming the variables.
 */
export function findEnvCredential(host: string, env: NodeJS.ProcessEnv): FoundCredential | undefined {
  const prefix = `CROSSDOCK_AUTH_${envHostKey(host)}_`;
  const own = findPrefixed(prefix, env);
  if (own !== undefined) return own;
  if (host === "ghcr.io") {
    const pair = findPair("GITHUB_ACTOR", "GITHUB_TOKEN", env, false);
    if (pair !== undefined) return pair;
  }
  if (host === dockerHubHost) return findPair("DOCKERHUB_USERNAME", "DOCKERHUB_TOKEN", env, true);
  return undefined;
}

/** The environment variables `findEnvCredential` reads for a host, for `describe()`. */
export function envVariableNames(host: string): string[] {
  const prefix = `CROSSDOCK_AUTH_${envHostKey(host)}_`;
  const names = [`${prefix}USERNAME/_PASSWORD`, `${prefix}TOKEN`];
  if (host === "ghcr.io") names.push("GITHUB_ACTOR/GITHUB_TOKEN");
  if (host === dockerHubHost) names.push("DOCKERHUB_USERNAME/DOCKERHUB_TOKEN");
  return names;
}

function findPrefixed(prefix: string, env: NodeJS.ProcessEnv): FoundCredential | undefined {
  const tokenName = `${prefix}TOKEN`;
  const token = read(env, tokenName);
  if (token === undefined) return findPair(`${prefix}USERNAME`, `${prefix}PASSWORD`, env, true);
  const extra = [`${prefix}USERNAME`, `${prefix}PASSWORD`].filter((name) => read(env, name) !== undefined);
  if (extra.length > 0) {
    throw new CredentialConfigError(
      tokenName,
      `${tokenName} is set together with ${extra.join(" and ")}: set ${prefix}USERNAME and ${prefix}PASSWORD (a personal access token goes in PASSWORD), or ${tokenName} alone for a bearer token`,
    );
  }
  return {
    credential: hideSecret({ kind: "registry-token", token }),
    origin: `environment variable ${tokenName}`,
  };
}

/**
 * A user name and secret from two variables. `strict`: half a pair is an error (the variables are
 * crossdock's or named for the purpose); otherwise it is ignored (`GITHUB_TOKEN` exists outside Actions).
 */
function findPair(
  userName: string,
  secretName: string,
  env: NodeJS.ProcessEnv,
  strict: boolean,
): FoundCredential | undefined {
  const username = read(env, userName);
  const password = read(env, secretName);
  if (username !== undefined && password !== undefined) {
    return {
      credential: hideSecret({ kind: "basic", username, password }),
      origin: `environment variables ${userName} and ${secretName}`,
    };
  }
  if (!strict) return undefined;
  if (username !== undefined) {
    throw new CredentialConfigError(
      secretName,
      `${userName} is set but ${secretName} is not: set both or neither`,
    );
  }
  if (password !== undefined) {
    throw new CredentialConfigError(
      userName,
      `${secretName} is set but ${userName} is not: set both or neither`,
    );
  }
  return undefined;
}

function read(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === "" ? undefined : value;
}

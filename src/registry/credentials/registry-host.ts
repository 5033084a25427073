/**
 * The canonical host name for Docker Hub. `index.docker.io`, `registry-1.docker.io` and the legacy
 * key `https://index.docker.io/v1/` all mean it.
 */
export const dockerHubHost = "docker.io";

/**
 * The server URL docker uses for Docker Hub in its config file and when it asks a credential
 * helper (docker/cli `registry.IndexServer`); every other registry is asked by bare host name.
 */
export const dockerHubServerUrl = "https://index.docker.io/v1/";

const dockerHubAliases: ReadonlySet<string> = new Set([
  "docker.io",
  "index.docker.io",
  "registry-1.docker.io",
]);

/** A registry host and, for podman-style keys such as `quay.io/org`, a namespace path below it. */
export interface AuthKey {
  /** Lower-case host with its port, Docker Hub aliases folded into `docker.io`. */
  readonly host: string;
  /** The namespace path after the host (`org/repo`), or "" for the whole registry. */
  readonly path: string;
}

/**
 * Parses a config key or a lookup argument. A key with a scheme (`https://ghcr.io/v1/`) is a URL:
 * its path is an API path, dropped as docker does (`ConvertToHostname`). A key without one may
 * carry a namespace (`quay.io/org`), as containers-auth.json(5) allows.
 */
export function parseAuthKey(input: string): AuthKey {
  const trimmed = input.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(trimmed);
  const rest = scheme === null ? trimmed : trimmed.slice(scheme[0].length);
  const slash = rest.indexOf("/");
  const host = normalizeHost(slash < 0 ? rest : rest.slice(0, slash));
  const path = scheme !== null || slash < 0 ? "" : rest.slice(slash + 1).replace(/\/+$/, "");
  return { host, path };
}

/** The canonical host of a registry host, URL or config key: `index.docker.io` gives `docker.io`. */
export function normalizeRegistryHost(input: string): string {
  return parseAuthKey(input).host;
}

/** The server URL to write to a credential helper's stdin for a canonical host. */
export function helperServerUrl(host: string): string {
  return host === dockerHubHost ? dockerHubServerUrl : host;
}

/**
 * The `<HOST>` part of `CROSSDOCK_AUTH_<HOST>_*`: upper case, every non-alphanumeric as `_`
 * (`ghcr.io` gives `GHCR_IO`, `localhost:5000` gives `LOCALHOST_5000`, Docker Hub `DOCKER_IO`).
 */
export function envHostKey(host: string): string {
  return normalizeRegistryHost(host)
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, "_");
}

function normalizeHost(host: string): string {
  const lower = host.toLowerCase();
  return dockerHubAliases.has(lower) ? dockerHubHost : lower;
}

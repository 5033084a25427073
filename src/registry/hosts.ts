/**
 * Docker Hub's API host: `docker.io` is a name, the registry API lives at registry-1.docker.io.
 * https://github.com/distribution/distribution/blob/v2.8.2/reference/normalize.go (defaultDomain)
 */
const dockerHubApiHost = "registry-1.docker.io";
const dockerHubAliases: ReadonlySet<string> = new Set([
  "docker.io",
  "index.docker.io",
  "registry-1.docker.io",
]);

/** The host (with port) that serves the API of a registry named `domain`. */
export function apiHostOf(domain: string): string {
  return dockerHubAliases.has(domain.toLowerCase()) ? dockerHubApiHost : domain;
}

/** The key crossdock files a registry under (stats, rate limits): Docker Hub's aliases are one. */
export function registryKeyOf(domain: string): string {
  const lower = domain.toLowerCase();
  return dockerHubAliases.has(lower) ? "docker.io" : lower;
}

/** The host name without port or IPv6 brackets: `[::1]:5000` gives `::1`. */
export function hostnameOf(host: string): string {
  if (host.startsWith("[")) {
    const end = host.indexOf("]");
    return end > 0 ? host.slice(1, end) : host;
  }
  const colon = host.lastIndexOf(":");
  return colon >= 0 && host.indexOf(":") === colon ? host.slice(0, colon) : host;
}

/**
 * Whether a host is loopback (localhost, 127.0.0.0/8, ::1). Docker talks plain HTTP to these
 * without `--insecure-registry`, and so does crossdock.
 * https://docs.docker.com/reference/cli/dockerd/#insecure-registries
 */
export function isLoopbackHost(host: string): boolean {
  const name = hostnameOf(host).toLowerCase();
  if (name === "localhost" || name.endsWith(".localhost")) return true;
  // 127.0.0.0/8, by hand: node:net's isIP compiles its IPv6 pattern on first use (4 ms of every run).
  const quad = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(name);
  if (quad) return quad.slice(1).every((octet) => Number(octet) <= 255);
  return name === "::1" || name === "0:0:0:0:0:0:0:1";
}

/** Whether `host` (host[:port]) is listed in `insecureHosts`, by host:port or by name alone. */
export function isInsecureHost(host: string, insecureHosts: readonly string[]): boolean {
  const lower = host.toLowerCase();
  const name = hostnameOf(lower);
  return insecureHosts.some((entry) => {
    const e = entry
      .toLowerCase()
      .replace(/^[a-z]+:\/\//, "")
      .replace(/\/+$/, "");
    return e === lower || e === name;
  });
}

/**
 * Which origin serves a registry: plain HTTP for loopback; for `insecureHosts` HTTPS without
 * certificate checks first, then plain HTTP if TLS fails (as dockerd does); verified HTTPS otherwise.
 * Remembers per registry what worked: explicit state, one per client.
 */
export class EndpointResolver {
  readonly #insecureHosts: readonly string[];
  readonly #fallenBack = new Set<string>();
  readonly #confirmed = new Set<string>();

  constructor(insecureHosts: readonly string[]) {
    this.#insecureHosts = insecureHosts;
  }

  /** The origin (`scheme://host[:port]`) to use for a registry domain now. */
  origin(domain: string): string {
    const host = apiHostOf(domain);
    if (isLoopbackHost(host) || this.#fallenBack.has(host)) return `http://${host}`;
    return `https://${host}`;
  }

  /** Whether TLS certificates of this host are not checked (an insecure registry). */
  isInsecure(host: string): boolean {
    return isInsecureHost(host, this.#insecureHosts);
  }

  /** Records that a request to the registry got an HTTP answer, so no fallback will happen. */
  confirm(domain: string): void {
    this.#confirmed.add(apiHostOf(domain));
  }

  /**
   * After a connection failure: switches an insecure registry not yet confirmed from HTTPS to
   * plain HTTP and says whether it did (so the caller tries again once).
   */
  fallBack(domain: string): boolean {
    const host = apiHostOf(domain);
    if (this.#confirmed.has(host) || this.#fallenBack.has(host) || isLoopbackHost(host)) return false;
    if (!this.isInsecure(host)) return false;
    this.#fallenBack.add(host);
    return true;
  }
}

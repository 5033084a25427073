/**
 * Registry hosts that make a token an image reference in free text even without an image context.
 * A host here is a strong signal: nobody writes `quay.io/x/y` in a script except to mean an image.
 */
const exactHosts: ReadonlySet<string> = new Set([
  "docker.io",
  "index.docker.io",
  "registry-1.docker.io",
  "registry.hub.docker.com",
  "ghcr.io",
  "docker.pkg.github.com",
  "quay.io",
  "gcr.io",
  "k8s.gcr.io",
  "registry.k8s.io",
  "public.ecr.aws",
  "mcr.microsoft.com",
  "registry.gitlab.com",
  "nvcr.io",
  "registry.redhat.io",
  "registry.access.redhat.com",
  "icr.io",
  "cgr.dev",
  "docker.elastic.co",
  "registry.opensource.zalan.do",
]);

/** Suffixes of hosted registries with per-project or per-region hosts. */
const hostSuffixes = [".gcr.io", ".pkg.dev", ".azurecr.io", ".icr.io", ".jfrog.io"];

/**
 * Amazon ECR's private registries, `ACCOUNT.dkr.ecr[-fips].REGION.amazonaws.com[.cn]`
 * (https://docs.aws.amazon.com/AmazonECR/latest/userguide/Registries.html). Only these: any other
 * `*.amazonaws.com` is an AWS service (`iam.amazonaws.com/role` is an annotation key,
 * `https://sts.%s.amazonaws.com/` an endpoint).
 */
const ecrHost = /^[0-9]+\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?(?::[0-9]+)?$/;

/**
 * Hosts that serve source code, never images: `github.com/ORG/repo` is a Go module path or a clone
 * URL (`repo_name := github.com/ORG/repo`); GitHub's registries are ghcr.io and docker.pkg.github.com.
 */
const codeHosts: ReadonlySet<string> = new Set([
  "github.com",
  "gitlab.com",
  "bitbucket.org",
  "golang.org",
  "gopkg.in",
  "go.googlesource.com",
]);

/** Whether `host` (the first component of a name, port included) is a well-known registry or a loopback one. */
export function isKnownRegistryHost(host: string): boolean {
  if (exactHosts.has(host)) return true;
  if (isLoopbackHost(host) || ecrHost.test(host)) return true;
  return hostSuffixes.some((suffix) => host.endsWith(suffix) && host.length > suffix.length);
}

/** Whether `host` serves source code rather than images (a Go module path's first component). */
export function isCodeHost(host: string): boolean {
  return codeHosts.has(host.toLowerCase());
}

/** Whether `host` is a loopback host with a port: a registry in docs and tests, a web server as often. */
export function isLoopbackHost(host: string): boolean {
  return /^(?:localhost|127\.0\.0\.1|\[::1\]):[0-9]+$/.test(host);
}

/**
 * A cheap test for text that may hold a known registry host, for pre-filtering files before any
 * parsing. False positives are fine; false negatives are not.
 */
export const knownHostHint =
  /docker\.io|ghcr\.io|quay\.io|gcr\.io|registry\.k8s\.io|pkg\.dev|ecr\.aws|amazonaws\.com|mcr\.microsoft|gitlab\.com|nvcr\.io|redhat\.io|icr\.io|cgr\.dev|docker\.elastic|zalan\.do|azurecr\.io|jfrog\.io|localhost:|127\.0\.0\.1:|\[::1\]:|docker\.pkg\.github/;

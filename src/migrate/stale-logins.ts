import type { MappingRule } from "../reference/mapping.js";
import type { Login } from "../scan/types.js";

/**
 * Docker Hub's other names: `docker login` stores `https://index.docker.io/v1/`, and
 * docker/login-action accepts any of them (https://github.com/docker/login-action#docker-hub).
 */
const dockerHubAliases: ReadonlySet<string> = new Set([
  "index.docker.io",
  "registry-1.docker.io",
  "registry.hub.docker.com",
]);

/** A registry as a log-in names it, reduced to the host a mapping names (`https://index.docker.io/v1/` is `docker.io`). */
function loginHost(registry: string): string {
  const host = registry
    .replace(/^[a-z]+:\/\//i, "")
    .replace(/\/.*$/, "")
    .toLowerCase();
  return dockerHubAliases.has(host) ? "docker.io" : host;
}

/**
 * The log-ins that name a registry the mappings move away from (and none moves to): once the
 * references point at the target, such a step still logs CI in to the old registry, so its pushes
 * to the target fail or go on to the old one. A registry given by an expression
 * (`${{ env.REGISTRY }}`) cannot be told and is left out.
 */
export function findStaleLogins(logins: readonly Login[], rules: readonly MappingRule[]): Login[] {
  const sources = new Set(rules.map((r) => r.from.domain));
  for (const rule of rules) sources.delete(rule.to.domain);
  return logins.filter((login) => sources.has(loginHost(login.registry)));
}

import type { Descriptor } from "../oci/manifest.js";
import { MediaType } from "../oci/media-types.js";
import type { Reference } from "../reference/reference.js";
import { pullScope } from "./auth/scope.js";
import { RegistryError, redactUrl } from "./errors.js";
import { discardBody, errorFromResponse, readLimited } from "./response.js";
import type { RegistrySession } from "./session.js";
import { parseNextLink } from "./tags.js";
import type { ReferrersOptions } from "./types.js";

const referrersPageLimit = 4 * 1024 * 1024;

/**
 * The referrers of a manifest (artifacts whose `subject` is it), every page read; undefined when
 * the registry has no referrers API (404: a registry that has it never answers 404), so the
 * caller falls back to the `sha256-<hex>` tag schema.
 * https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#listing-referrers
 */
export async function referrers(
  session: RegistrySession,
  repo: Reference,
  digest: string,
  options: ReferrersOptions = {},
): Promise<Descriptor[] | undefined> {
  const what = `referrers of ${repo.name}@${digest}`;
  const query =
    options.artifactType !== undefined
      ? `?${new URLSearchParams({ artifactType: options.artifactType })}`
      : "";
  let target: string | URL = `/v2/${repo.path}/referrers/${digest}${query}`;
  const found: Descriptor[] = [];
  let filtered = options.artifactType === undefined;
  for (let page = 0; page < 10_000; page++) {
    const res = await session.send({
      registry: repo.domain,
      method: "GET",
      target,
      scopes: [pullScope(repo.path)],
      stat: "other",
      headers: { accept: MediaType.ociIndex },
      retryable: true,
      signal: options.signal,
    });
    if (res.status === 404 && page === 0) {
      await discardBody(res.body);
      return undefined;
    }
    if (res.status !== 200)
      throw await errorFromResponse(res, session.context(repo.domain, what, "NAME_UNKNOWN"));
    const applied = res.headers["oci-filters-applied"];
    if (typeof applied === "string" && applied.split(",").some((f) => f.trim() === "artifactType"))
      filtered = true;
    try {
      const index = JSON.parse(await readLimited(res.body, referrersPageLimit)) as { manifests?: unknown };
      if (Array.isArray(index.manifests)) found.push(...(index.manifests as Descriptor[]));
    } catch (error) {
      throw new RegistryError({
        code: "INVALID_RESPONSE",
        message: `${what}: the registry sent an unreadable index`,
        host: repo.domain,
        url: redactUrl(res.url),
        status: res.status,
        cause: error,
      });
    }
    const next = parseNextLink(res.headers.link);
    if (next === undefined) break;
    target = new URL(next, res.url);
  }
  return filtered ? found : found.filter((d) => d.artifactType === options.artifactType);
}

import { CrossdockError } from "../errors.js";

/** Docker Hub's web API, which lists a namespace's repositories (the registry itself has no catalog). */
export const dockerHubApi = "https://hub.docker.com";

/** Options of listDockerHubRepositories. */
export interface DockerHubListOptions {
  /** Another base URL (a Hub-compatible API, or a local server in tests). Default https://hub.docker.com. */
  readonly baseUrl?: string;
  /** Pages to read at most. Default 50 (5,000 repositories): a bound, so a loop in `next` cannot run forever. */
  readonly maxPages?: number;
  readonly signal?: AbortSignal;
}

/**
 * Lists the repositories of a Docker Hub namespace (`kubeflowkatib`) through Hub's API,
 * `GET /v2/repositories/<namespace>/?page_size=100`, following `next` while it stays on the same
 * host. Anonymous: public repositories only, and no credentials are sent to the web API.
 * https://docs.docker.com/reference/api/hub/latest/#tag/repositories
 */
export async function listDockerHubRepositories(
  namespace: string,
  options: DockerHubListOptions = {},
): Promise<string[]> {
  const base = new URL(options.baseUrl ?? dockerHubApi);
  let url: URL | undefined = new URL(
    `/v2/repositories/${encodeURIComponent(namespace)}/?page_size=100`,
    base,
  );
  const names: string[] = [];
  for (let page = 0; url && page < (options.maxPages ?? 50); page++) {
    // Node's fetch: a public web API, no credentials, called once per sync at most.
    const response = await fetch(url, {
      headers: { accept: "application/json" },
      redirect: "error",
      signal: options.signal ?? null,
    }).catch((error: unknown) => {
      throw new CrossdockError(
        "DOCKER_HUB_LIST",
        `cannot reach Docker Hub's API at ${base.host} to list ${namespace}'s repositories (name them with --repos instead)`,
        { cause: error },
      );
    });
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new CrossdockError(
        "DOCKER_HUB_LIST",
        `Docker Hub's repository list for ${namespace} answered ${response.status}${response.status === 404 ? ": no such namespace" : ""}`,
      );
    }
    const body = (await response.json()) as {
      next?: string | null;
      results?: Array<{ name?: unknown }>;
    };
    for (const result of body.results ?? []) if (typeof result.name === "string") names.push(result.name);
    const next: URL | undefined =
      typeof body.next === "string" && body.next !== "" ? new URL(body.next, url) : undefined;
    url = next && next.origin === base.origin ? next : undefined;
  }
  return names.sort();
}

import { UsageError } from "../errors.js";
import type { Prefix } from "../reference/mapping.js";
import { parseReference } from "../reference/reference.js";
import type { RegistryClient } from "../registry/client.js";
import { listDockerHubRepositories } from "../registry/docker-hub-repositories.js";
import { RegistryRepository } from "./registry-repository.js";
import type { RepositorySet } from "./repository-set.js";
import type { Repository } from "./types.js";

/** The repositories of a registry under a namespace prefix (`docker.io/kubeflowkatib`, `ghcr.io/kubeflow/katib`). */
export class RegistryNamespace implements RepositorySet {
  readonly location: string;
  readonly #client: RegistryClient;
  readonly #prefix: Prefix;
  readonly #dockerHubApi: string | undefined;

  /** `dockerHubApi`: base URL of Docker Hub's web API (a Hub-compatible API); default https://hub.docker.com. */
  constructor(client: RegistryClient, prefix: Prefix, dockerHubApi?: string) {
    this.#client = client;
    this.#prefix = prefix;
    this.#dockerHubApi = dockerHubApi;
    this.location = prefix.text;
  }

  /**
   * The names under the prefix: the registry's catalog, or for Docker Hub, which offers no
   * catalog (https://github.com/docker/hub-feedback/issues/1424), Hub's web API, which lists one
   * namespace (docker.io/<namespace>, one level).
   * https://docs.docker.com/reference/api/hub/latest/#tag/repositories
   */
  async list(signal?: AbortSignal): Promise<string[]> {
    const prefix = this.#prefix;
    if (prefix.domain === "docker.io") {
      if (prefix.path === "" || prefix.path.includes("/")) {
        throw new UsageError(
          `${prefix.text}: name one Docker Hub namespace (docker.io/NAMESPACE) or the repositories with --repos`,
        );
      }
      return await listDockerHubRepositories(prefix.path, {
        ...(this.#dockerHubApi ? { baseUrl: this.#dockerHubApi } : {}),
        ...(signal ? { signal } : {}),
      });
    }
    const all = await this.#client.catalog(prefix.domain, signal ? { signal } : {});
    const base = prefix.path === "" ? "" : `${prefix.path}/`;
    return all.filter((name) => name.startsWith(base)).map((name) => name.slice(base.length));
  }

  async open(name: string): Promise<Repository> {
    return new RegistryRepository(this.#client, parseReference(`${this.#prefix.text}/${name}`));
  }
}

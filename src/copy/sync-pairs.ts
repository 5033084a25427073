import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { UsageError } from "../errors.js";
import { type Prefix, parsePrefix } from "../reference/mapping.js";
import { parseReference } from "../reference/reference.js";
import type { RegistryClient } from "../registry/client.js";
import { listDockerHubRepositories } from "../registry/docker-hub-repositories.js";
import { openOciLayout } from "../store/oci-layout.js";
import { RegistryRepository } from "../store/registry-repository.js";
import type { Repository } from "../store/types.js";
import type { SyncPair } from "./sync.js";
import type { TagPolicy } from "./tag-filter.js";

/** One side of a sync: a registry/namespace prefix, or a directory holding one OCI layout per repository. */
export type SyncEndpoint =
  | { readonly kind: "registry"; readonly prefix: Prefix }
  | { readonly kind: "oci"; readonly dir: string };

/** Parses `--from`/`--to`: `oci:DIR` (air gap: DIR/<repository> is an OCI layout), otherwise a registry prefix. */
export function parseSyncEndpoint(input: string): SyncEndpoint {
  if (input.startsWith("oci:")) {
    const dir = input.slice("oci:".length);
    if (dir === "") throw new UsageError(`${input}: name a directory (oci:DIR)`);
    return { kind: "oci", dir };
  }
  return { kind: "registry", prefix: parsePrefix(input) };
}

/** Which repositories under `from` to sync to the same names under `to`. */
export interface SyncPairsOptions {
  readonly from: SyncEndpoint;
  readonly to: SyncEndpoint;
  /** Names under `from` (`katib-ui`, `katib-controller`); when absent, the source's catalog decides. */
  readonly repos?: readonly string[];
  readonly policy: TagPolicy;
  /** Base URL of Docker Hub's web API (for a docker.io source without `repos`); default https://hub.docker.com. */
  readonly dockerHubApi?: string;
  readonly signal?: AbortSignal;
}

/**
 * Pairs each source repository with its target. Without `repos`, the source registry's catalog
 * (names under the prefix), the layouts found under an `oci:` directory, or, for Docker Hub,
 * which offers no catalog (https://github.com/docker/hub-feedback/issues/1424), Hub's web API decide.
 */
export async function resolveSyncPairs(
  client: RegistryClient,
  options: SyncPairsOptions,
): Promise<SyncPair[]> {
  const names = options.repos ? [...options.repos] : await listRepositories(client, options);
  const pairs: SyncPair[] = [];
  for (const name of names) {
    const trimmed = name.replace(/^\/+|\/+$/g, "");
    if (trimmed === "") throw new UsageError("--repos: empty repository name");
    pairs.push({
      source: await openEndpoint(client, options.from, trimmed, false),
      target: await openEndpoint(client, options.to, trimmed, true),
      policy: options.policy,
    });
  }
  return pairs;
}

async function openEndpoint(
  client: RegistryClient,
  endpoint: SyncEndpoint,
  name: string,
  forWriting: boolean,
): Promise<Repository> {
  if (endpoint.kind === "oci")
    return await openOciLayout(path.join(endpoint.dir, name), { create: forWriting });
  return new RegistryRepository(client, parseReference(`${endpoint.prefix.text}/${name}`));
}

async function listRepositories(client: RegistryClient, options: SyncPairsOptions): Promise<string[]> {
  const { from, signal } = options;
  if (from.kind === "oci") return await findLayouts(from.dir);
  if (from.prefix.domain === "docker.io") {
    // Docker Hub has no catalog; its web API lists a namespace (docker.io/<namespace>, one level).
    // https://docs.docker.com/reference/api/hub/latest/#tag/repositories
    if (from.prefix.path === "" || from.prefix.path.includes("/")) {
      throw new UsageError(
        `${from.prefix.text}: name one Docker Hub namespace (docker.io/NAMESPACE) or the repositories with --repos`,
      );
    }
    return await listDockerHubRepositories(from.prefix.path, {
      ...(options.dockerHubApi ? { baseUrl: options.dockerHubApi } : {}),
      ...(signal ? { signal } : {}),
    });
  }
  const all = await client.catalog(from.prefix.domain, signal ? { signal } : {});
  const base = from.prefix.path === "" ? "" : `${from.prefix.path}/`;
  return all.filter((name) => name.startsWith(base)).map((name) => name.slice(base.length));
}

/** Repository names under `dir`: every directory (at any depth) that is an OCI layout. */
async function findLayouts(dir: string, relative = ""): Promise<string[]> {
  const here = path.join(dir, relative);
  if (relative !== "" && (await stat(path.join(here, "oci-layout")).catch(() => undefined)))
    return [relative];
  const entries = await readdir(here, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") throw new UsageError(`${dir}: no such directory`);
    throw error;
  });
  const found: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory()) found.push(...(await findLayouts(dir, path.posix.join(relative, entry.name))));
  }
  return found.sort();
}

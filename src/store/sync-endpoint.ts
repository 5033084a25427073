import { UsageError } from "../errors.js";
import { type Prefix, parsePrefix } from "../reference/mapping.js";
import type { RegistryClient } from "../registry/client.js";
import { LayoutDirectory } from "./layout-directory.js";
import { RegistryNamespace } from "./registry-namespace.js";
import type { RepositorySet } from "./repository-set.js";

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

/** The repositories an endpoint names; `dockerHubApi` points Docker Hub's listing at another base URL. */
export function openSyncEndpoint(
  client: RegistryClient,
  endpoint: SyncEndpoint,
  dockerHubApi?: string,
): RepositorySet {
  return endpoint.kind === "oci"
    ? new LayoutDirectory(endpoint.dir)
    : new RegistryNamespace(client, endpoint.prefix, dockerHubApi);
}

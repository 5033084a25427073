import type { Repository } from "./types.js";

/**
 * Many repositories under one prefix, as a sync takes them: a registry namespace
 * (`ghcr.io/kubeflow/katib`) or a directory holding one OCI layout per repository. The sync
 * pairs names through this interface and never opens a concrete store itself.
 */
export interface RepositorySet {
  /** Where this is, for messages (`ghcr.io/kubeflow/katib`, `oci:./carry`). */
  readonly location: string;
  /** The names of the repositories under the prefix (a registry's catalog, the layouts found). */
  list(signal?: AbortSignal): Promise<string[]>;
  /** Opens the repository NAME under the prefix; `create` makes a layout that does not exist yet. */
  open(name: string, create: boolean): Promise<Repository>;
}

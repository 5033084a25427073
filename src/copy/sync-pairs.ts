import { UsageError } from "../errors.js";
import type { Prefix } from "../reference/mapping.js";
import { parseReference } from "../reference/reference.js";
import type { RegistryClient } from "../registry/client.js";
import { RegistryRepository } from "../store/registry-repository.js";
import type { SyncPair } from "./sync.js";
import type { TagPolicy } from "./tag-filter.js";

/** Which repositories under `from` to sync to the same names under `to`. */
export interface SyncPairsOptions {
  readonly from: Prefix;
  readonly to: Prefix;
  /** Names under `from` (`katib-ui`, `katib-controller`); when absent, the source registry's catalog decides. */
  readonly repos?: readonly string[];
  readonly policy: TagPolicy;
  readonly signal?: AbortSignal;
}

/**
 * Pairs each source repository with its target. Without `repos`, lists the source registry's
 * catalog and keeps the names under the `from` prefix. Docker Hub offers no catalog
 * (https://github.com/docker/hub-feedback/issues/1424): pass --repos there.
 */
export async function resolveSyncPairs(
  client: RegistryClient,
  options: SyncPairsOptions,
): Promise<SyncPair[]> {
  let names = options.repos ? [...options.repos] : undefined;
  if (names === undefined) {
    if (options.from.domain === "docker.io") {
      throw new UsageError(
        "docker.io has no catalog API: name the repositories with --repos a,b,c (or in crossdock.yaml)",
      );
    }
    const all = await client.catalog(options.from.domain, options.signal ? { signal: options.signal } : {});
    const base = options.from.path === "" ? "" : `${options.from.path}/`;
    names = all
      .filter((name: string) => name.startsWith(base))
      .map((name: string) => name.slice(base.length));
  }
  return (names ?? []).map((name) => {
    const trimmed = name.replace(/^\/+|\/+$/g, "");
    if (trimmed === "") throw new UsageError("--repos: empty repository name");
    const source = parseReference(`${options.from.text}/${trimmed}`);
    const target = parseReference(`${options.to.text}/${trimmed}`);
    return {
      source: new RegistryRepository(client, source),
      target: new RegistryRepository(client, target),
      policy: options.policy,
    };
  });
}

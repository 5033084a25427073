import type { SyncMapping } from "../copy/run-sync.js";
import type { TagPolicy } from "../copy/tag-filter.js";
import { UsageError } from "../errors.js";
import { parseSyncEndpoint } from "../store/sync-endpoint.js";
import type { CrossdockConfig } from "./config/types.js";

/** What `crossdock sync` was told: `--from`/`--to`, or the config whose mappings to sync. */
export interface SyncRequest {
  readonly from?: string;
  readonly to?: string;
  /** crossdock.yaml to read when neither `from` nor `to` is given; default: the one in `dir`. */
  readonly configFile?: string;
  /** Where to look for crossdock.yaml; default the working directory. */
  readonly dir?: string;
  /** `--repos`: overrides the config's repositories. */
  readonly repos?: readonly string[];
  /** The tag flags: override the config's tag policy field by field. */
  readonly policy: TagPolicy;
}

/**
 * What to sync: `from` to `to`, or else every mapping of crossdock.yaml (its repositories and
 * tag policy; `repos` and the policy given override them). A missing half or a config without
 * mappings is a UsageError, before any registry is asked anything.
 */
export async function planSyncMappings(
  request: SyncRequest,
): Promise<{ mappings: SyncMapping[]; config?: CrossdockConfig }> {
  const { repos, policy } = request;
  if (request.from !== undefined || request.to !== undefined) {
    if (request.from === undefined || request.to === undefined)
      throw new UsageError("give both --from and --to");
    const mapping = { from: parseSyncEndpoint(request.from), to: parseSyncEndpoint(request.to), policy };
    return { mappings: [repos ? { ...mapping, repos } : mapping] };
  }
  // The config reader (and its YAML parser) loads only when there is no --from/--to.
  const { findConfig, loadConfig } = await import("./config/load-config.js");
  const file = request.configFile ?? (await findConfig(request.dir ?? "."));
  if (file === undefined)
    throw new UsageError(
      "give --from and --to, or run where a crossdock.yaml with mappings is (or --config FILE)",
    );
  const config = await loadConfig(file);
  if (config.mappings.length === 0) throw new UsageError(`${file}: no mappings to sync`);
  return {
    config,
    mappings: config.mappings.map((m) => {
      const names = repos ?? m.repositories;
      return {
        from: { kind: "registry", prefix: m.rule.from },
        to: { kind: "registry", prefix: m.rule.to },
        policy: { ...m.policy, ...policy },
        ...(names ? { repos: names } : {}),
      };
    }),
  };
}

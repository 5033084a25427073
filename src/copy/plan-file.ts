import { createHash } from "node:crypto";
import { UsageError } from "../errors.js";
import { parseSyncEndpoint, type SyncEndpoint } from "../store/sync-endpoint.js";
import type { PlannedMapping, SyncPlan } from "./sync-plan.js";
import { type TagPolicy, validateTagPolicy } from "./tag-filter.js";

/** What the first field of a plan file says it is, so a result or a lock passed by mistake is refused. */
const planKind = "crossdock-sync-plan";

/** A plan as JSON (`--plan-out`): deterministic, so two machines that list the same registry write the same bytes. */
export function formatSyncPlan(plan: SyncPlan): string {
  const body = {
    kind: planKind,
    version: plan.version,
    mappings: plan.mappings.map((m) => ({
      from: formatSyncEndpoint(m.from),
      to: formatSyncEndpoint(m.to),
      policy: m.policy,
      repositories: m.repositories,
    })),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

/** The sha256 of a plan's JSON: shards that ran one plan (given or listed alike) carry the same one. */
export function digestOfPlan(plan: SyncPlan): string {
  return `sha256:${createHash("sha256").update(formatSyncPlan(plan)).digest("hex")}`;
}

/**
 * Reads a plan written by formatSyncPlan. Anything else (not JSON, another version, a field of
 * the wrong type) is a UsageError naming the file and the field, before any registry is asked.
 */
export function parseSyncPlan(text: string, file: string): SyncPlan {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file}: not JSON (a plan written by crossdock sync --plan-out)`, { cause: error });
  }
  const body = data as { kind?: unknown; version?: unknown; mappings?: unknown } | null;
  if (body?.kind !== planKind || body.version !== 1 || !Array.isArray(body.mappings))
    throw new UsageError(`${file}: not a crossdock sync plan (kind "${planKind}", version 1, mappings)`);
  const mappings = body.mappings.map((m: unknown, i: number): PlannedMapping => {
    const where = `${file}: mappings[${i}]`;
    const mapping = m as Record<string, unknown> | null;
    if (typeof mapping?.["from"] !== "string" || typeof mapping["to"] !== "string")
      throw new UsageError(`${where}: from and to must be strings`);
    const policy = (mapping["policy"] ?? {}) as TagPolicy;
    try {
      validateTagPolicy(policy);
    } catch (error) {
      throw new UsageError(`${where}.policy: ${(error as Error).message}`, { cause: error });
    }
    const repositories = mapping["repositories"];
    if (!Array.isArray(repositories)) throw new UsageError(`${where}.repositories must be a list`);
    return {
      from: endpointAt(mapping["from"], `${where}.from`),
      to: endpointAt(mapping["to"], `${where}.to`),
      policy,
      repositories: repositories.map((r: unknown, j: number) => {
        const repository = r as { repository?: unknown; tags?: unknown } | null;
        const tags = repository?.tags;
        if (
          typeof repository?.repository !== "string" ||
          repository.repository === "" ||
          !Array.isArray(tags) ||
          !tags.every((t) => typeof t === "string" && t !== "")
        )
          throw new UsageError(
            `${where}.repositories[${j}]: expected { repository: name, tags: [tag, ...] }`,
          );
        return { repository: repository.repository, tags: tags as string[] };
      }),
    };
  });
  return { version: 1, mappings };
}

/** `--from`/`--to` text of an endpoint: the registry prefix, or `oci:DIR`. */
export function formatSyncEndpoint(endpoint: SyncEndpoint): string {
  return endpoint.kind === "oci" ? `oci:${endpoint.dir}` : endpoint.prefix.text;
}

function endpointAt(text: string, where: string): SyncEndpoint {
  try {
    return parseSyncEndpoint(text);
  } catch (error) {
    throw new UsageError(`${where}: ${(error as Error).message}`, { cause: error });
  }
}

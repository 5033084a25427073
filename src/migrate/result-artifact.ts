import type { ShardSpec } from "../copy/plan-share.js";
import { compareText } from "../copy/shares.js";
import { UsageError } from "../errors.js";
import { sha256Digest } from "../oci/digest.js";
import { MediaType } from "../oci/media-types.js";
import type { Reference } from "../reference/reference.js";
import type { RegistryClient } from "../registry/client.js";
import type { NamedResult } from "./merge-results.js";
import { formatSyncResult, parseSyncResult, type SyncResult } from "./sync-result.js";

/**
 * The artifact type of a shard's result pushed to a registry, and the media type of its one layer
 * (the result JSON, as `--result-out` writes it).
 */
export const syncResultArtifactType = "application/vnd.crossdock.sync-result.v1+json";

/**
 * The empty config an artifact with nothing to configure carries, as the image spec's artifact
 * guidance asks (`{}`, two bytes).
 * https://github.com/opencontainers/image-spec/blob/v1.1.0/manifest.md#guidance-for-an-empty-descriptor
 */
const emptyConfig = new TextEncoder().encode("{}");

/** A run id names the tags of one run's results: tag characters only, short enough to leave room for the shard. */
const runIdPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;

/** Checks a run id (`--run-id`, CROSSDOCK_RUN_ID): a UsageError naming `what` unless it can be part of a tag. */
export function checkRunId(runId: string, what: string): string {
  if (!runIdPattern.test(runId))
    throw new UsageError(
      `${what} ${JSON.stringify(runId)}: use 1 to 64 of A-Z a-z 0-9 _ . - (it becomes part of a tag)`,
    );
  return runId;
}

/** The default run id of a result: its plan's digest, shortened (shards of one plan are one run). */
export function runIdOfResult(result: SyncResult): string | undefined {
  return result.plan === undefined ? undefined : runIdOfPlan(result.plan);
}

/** The run id of a plan's shards by default: `plan-` and the first 16 hex digits of its digest (digestOfPlan). */
export function runIdOfPlan(planDigest: string): string {
  return `plan-${planDigest.replace(/^sha256:/, "").slice(0, 16)}`;
}

/** The tag a result is pushed under: `result-RUN-I-of-N`, or `result-RUN-all` for a run of the whole plan. */
export function resultTag(runId: string, shard: ShardSpec | undefined): string {
  return `result-${runId}-${shard ? `${shard.index}-of-${shard.count}` : "all"}`;
}

/**
 * Pushes a result to `repository` as an OCI artifact: an image manifest with `artifactType`, the
 * empty config and the result JSON as its one layer, tagged `resultTag(runId, result.shard)` (the
 * tag last, after its blobs). Pushing again (a rerun of the shard) moves the tag to the new result.
 * https://github.com/opencontainers/image-spec/blob/v1.1.0/artifacts-guidance.md
 */
export async function pushSyncResult(
  client: RegistryClient,
  repository: Reference,
  runId: string,
  result: SyncResult,
  signal?: AbortSignal,
): Promise<string> {
  const layer = new TextEncoder().encode(formatSyncResult(result));
  const layerDigest = sha256Digest(layer);
  const configDigest = sha256Digest(emptyConfig);
  for (const [digest, bytes] of [
    [configDigest, emptyConfig],
    [layerDigest, layer],
  ] as const)
    if ((await client.headBlob(repository, digest, signal)) === undefined)
      await client.pushBlob(repository, digest, bytes.length, bytes, signal ? { signal } : {});
  const manifest = {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    artifactType: syncResultArtifactType,
    config: { mediaType: MediaType.ociEmpty, digest: configDigest, size: emptyConfig.length, data: "e30=" },
    layers: [{ mediaType: syncResultArtifactType, digest: layerDigest, size: layer.length }],
  };
  const tag = resultTag(runId, result.shard);
  await client.putManifest(
    { ...repository, tag },
    new TextEncoder().encode(JSON.stringify(manifest)),
    MediaType.ociManifest,
    signal,
  );
  return `${repository.name}:${tag}`;
}

/**
 * Reads back every result of one run from `repository`: its tags starting `result-RUN-`, each an
 * artifact pushed by pushSyncResult, named `REPOSITORY:TAG` (as a file would be named by its path).
 * A tag that is not such an artifact is a UsageError naming it; no tag for the run is one too.
 */
export async function fetchSyncResults(
  client: RegistryClient,
  repository: Reference,
  runId: string,
  signal?: AbortSignal,
): Promise<NamedResult[]> {
  const prefix = `result-${runId}-`;
  const tags = (await client.listTags(repository, signal ? { signal } : {}))
    .filter((t) => t.startsWith(prefix))
    .sort(compareText);
  if (tags.length === 0)
    throw new UsageError(`${repository.name}: no results of run ${runId} (no tag ${prefix}*)`);
  const results: NamedResult[] = [];
  for (const tag of tags) {
    const name = `${repository.name}:${tag}`;
    const manifest = await client.getManifest({ ...repository, tag }, signal);
    const layer = readArtifactLayer(manifest.bytes, name);
    const blob = await client.getBlob(repository, layer.digest, {
      expectedSize: layer.size,
      ...(signal ? { signal } : {}),
    });
    const chunks: Buffer[] = [];
    for await (const chunk of blob.stream) chunks.push(chunk as Buffer);
    results.push({ file: name, result: parseSyncResult(Buffer.concat(chunks).toString("utf8"), name) });
  }
  return results;
}

/** The result layer of an artifact manifest, or a UsageError naming what the tag holds instead. */
function readArtifactLayer(bytes: Uint8Array, name: string): { digest: string; size: number } {
  let manifest: { artifactType?: unknown; layers?: { digest?: unknown; size?: unknown }[] };
  try {
    manifest = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new UsageError(`${name}: not a manifest`, { cause: error });
  }
  const layer = manifest.layers?.[0];
  if (
    manifest.artifactType !== syncResultArtifactType ||
    typeof layer?.digest !== "string" ||
    typeof layer.size !== "number"
  )
    throw new UsageError(`${name}: not a crossdock sync result (artifactType ${syncResultArtifactType})`);
  return { digest: layer.digest, size: layer.size };
}

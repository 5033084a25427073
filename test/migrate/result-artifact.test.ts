/**
 * Shards' results as OCI artifacts: pushed to a real registry (docker-registry and crossdock serve),
 * read back by an independent client as an artifact manifest, listed back by run, and merged into
 * the same lock as the files they came from.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { mergeSyncResults } from "../../src/migrate/merge-results.js";
import {
  fetchSyncResults,
  pushSyncResult,
  resultTag,
  syncResultArtifactType,
} from "../../src/migrate/result-artifact.js";
import type { SyncResult } from "../../src/migrate/sync-result.js";
import { parseReference } from "../../src/reference/reference.js";
import { RegistryClient } from "../../src/registry/client.js";
import type { DistributionRegistry } from "../helpers/distribution.js";
import { registryKinds } from "../helpers/registries.js";
import { skopeoRaw } from "../helpers/skopeo.js";

/** Two shards' results of one plan, as sync --result-out would write them. */
function shardResult(index: number): SyncResult {
  const tag = `v${index}.0`;
  return {
    version: 1,
    shard: { index, count: 2 },
    plan: "sha256:1111111111111111111111111111111111111111111111111111111111111111",
    interrupted: false,
    images: [
      {
        source: `src.example/org/a:${tag}`,
        target: `dst.example/org/a:${tag}`,
        digest: `sha256:${String(index).repeat(64)}`,
        mediaType: "application/vnd.oci.image.index.v1+json",
        platforms: ["linux/amd64"],
        status: "copied",
      },
    ],
    pending: [],
    failed: [],
  };
}

for (const kind of registryKinds)
  describe(`sync results as OCI artifacts (${kind.name})`, { skip: kind.skip }, () => {
    let registry: DistributionRegistry;
    let client: RegistryClient;
    before(async () => {
      registry = await kind.start();
      client = new RegistryClient();
    });
    after(async () => {
      await client?.close();
      await registry?.stop();
    });

    test("pushed per run and shard, read back by run, merged as the files would be", async () => {
      const repository = parseReference(`${registry.host}/crossdock/results`);
      const results = [shardResult(0), shardResult(1)];
      for (const result of results) await pushSyncResult(client, repository, "run-a", result);
      // Another run in the same repository is not read with this one.
      await pushSyncResult(client, repository, "run-b", { ...shardResult(0), images: [] });

      const raw = JSON.parse(
        (
          await skopeoRaw(`${registry.host}/crossdock/results:${resultTag("run-a", { index: 1, count: 2 })}`)
        ).toString(),
      ) as {
        artifactType: string;
        config: { mediaType: string; size: number };
        layers: { mediaType: string }[];
      };
      assert.equal(raw.artifactType, syncResultArtifactType);
      assert.equal(raw.config.mediaType, "application/vnd.oci.empty.v1+json");
      assert.deepEqual(
        raw.layers.map((l) => l.mediaType),
        [syncResultArtifactType],
      );

      const fetched = await fetchSyncResults(client, repository, "run-a");
      assert.deepEqual(
        fetched.map((f) => f.file),
        [
          `${registry.host}/crossdock/results:result-run-a-0-of-2`,
          `${registry.host}/crossdock/results:result-run-a-1-of-2`,
        ],
      );
      assert.deepEqual(
        fetched.map((f) => f.result),
        results,
        "every field survives the trip",
      );
      const fromFiles = mergeSyncResults(results.map((result, i) => ({ file: `shard-${i}.json`, result })));
      const fromRegistry = mergeSyncResults(fetched);
      assert.deepEqual(fromRegistry.lock, fromFiles.lock);
      assert.equal(fromRegistry.complete, true);

      await assert.rejects(fetchSyncResults(client, repository, "run-c"), /no results of run run-c/);
    });
  });

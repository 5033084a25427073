import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { CopySession } from "../../src/copy/session.js";
import { syncRepositories } from "../../src/copy/sync.js";
import { resolveSyncPairs } from "../../src/copy/sync-pairs.js";
import { createLayer, createSyntheticImage } from "../../src/oci/synthetic.js";
import { RegistryClient } from "../../src/registry/client.js";
import { openSyncEndpoint, parseSyncEndpoint } from "../../src/store/sync-endpoint.js";
import type { DistributionRegistry } from "../helpers/distribution.js";
import { registryKinds } from "../helpers/registries.js";
import { seedImage } from "../helpers/seed.js";
import { digestOf, skopeoRaw } from "../helpers/skopeo.js";

for (const kind of registryKinds)
  describe(`sync between two ${kind.name} registries`, {
    skip: kind.skip,
  }, () => {
    let source: DistributionRegistry;
    let target: DistributionRegistry;
    const roots = new Map<string, string>();

    before(async () => {
      [source, target] = await Promise.all([kind.start(), kind.start()]);
      const base = createLayer("base", 8192);
      for (const name of ["katib-controller", "katib-ui"]) {
        for (const tag of ["v0.15.0", "v0.16.0", "v0.17.0", "latest"]) {
          const image = createSyntheticImage({
            seed: `${name}:${tag}`,
            sharedLayers: [base],
            layerSizes: [1000],
          });
          await seedImage(source.url, `kubeflowkatib/${name}`, image, tag);
          roots.set(`${name}:${tag}`, image.root.digest);
        }
      }
    });
    after(async () => {
      await Promise.all([source?.stop(), target?.stop()]);
    });

    const run = async (options: { dryRun?: boolean; semver?: string }) => {
      const client = new RegistryClient();
      try {
        const pairs = await resolveSyncPairs({
          from: openSyncEndpoint(client, parseSyncEndpoint(`${source.host}/kubeflowkatib`)),
          to: openSyncEndpoint(client, parseSyncEndpoint(`${target.host}/kubeflow/katib`)),
          policy: options.semver ? { semver: options.semver } : {},
        });
        const session = new CopySession();
        const entries = await syncRepositories(pairs, {
          session,
          ...(options.dryRun ? { dryRun: true } : {}),
        });
        return { entries, session, stats: client.stats.forHost(source.host) };
      } finally {
        await client.close();
      }
    };

    test("a dry run decides with HEAD requests only", async () => {
      source.clearAccessLog();
      const { entries } = await run({ dryRun: true, semver: ">=0.16.0" });
      assert.deepEqual(
        entries.map((e) => e.status),
        ["would-copy", "would-copy", "would-copy", "would-copy"],
      );
      await settle();
      assert.equal(
        source.accessLog().filter((e) => e.method === "GET" && e.path.includes("/manifests/")).length,
        0,
      );
      assert.equal(target.accessLog().filter((e) => e.method === "PUT").length, 0);
    });

    test("the catalog finds the repositories, the semver filter picks tags, each shared blob is read once", async () => {
      target.clearAccessLog();
      const { entries, session, stats } = await run({ semver: ">=0.16.0" });
      assert.deepEqual(entries.map((e) => `${e.status} ${e.target}`).sort(), [
        `copied ${target.host}/kubeflow/katib/katib-controller:v0.16.0`,
        `copied ${target.host}/kubeflow/katib/katib-controller:v0.17.0`,
        `copied ${target.host}/kubeflow/katib/katib-ui:v0.16.0`,
        `copied ${target.host}/kubeflow/katib/katib-ui:v0.17.0`,
      ]);
      for (const entry of entries) {
        const key = entry.target.split("/").pop()!;
        assert.equal(digestOf(await skopeoRaw(entry.target)), roots.get(key));
      }
      // The shared base layer moved once and was mounted for the other repository.
      assert.ok(session.counters.blobsMounted >= 1);
      assert.equal(stats.blobGet, session.counters.blobsCopied);
      // Repositories the target did not have: blobs are uploaded without asking about each first.
      await settle();
      assert.deepEqual(blobHeadsOn(target), []);
    });

    test("a second sync of everything copies the rest; a third makes no manifest GET at all", async () => {
      target.clearAccessLog();
      const second = await run({});
      assert.equal(second.entries.filter((e) => e.status === "copied").length, 4);
      assert.equal(second.entries.filter((e) => e.status === "in-sync").length, 4);
      // The repositories exist now: blobs are asked about, the shared base layer is already there,
      // and tags copied at once ask about each blob of a repository at most once.
      await settle();
      const blobHeads = blobHeadsOn(target);
      assert.ok(blobHeads.length > 0);
      assert.equal(new Set(blobHeads).size, blobHeads.length, `repeated: ${blobHeads.join(" ")}`);
      assert.ok(second.session.counters.blobsExisting >= 1, "the base layer was already there");
      source.clearAccessLog();
      const third = await run({});
      assert.deepEqual(new Set(third.entries.map((e) => e.status)), new Set(["in-sync"]));
      assert.equal(third.stats.manifestGet, 0);
      await settle();
      const gets = source.accessLog().filter((e) => e.method === "GET" && e.path.includes("/manifests/"));
      assert.deepEqual(gets, [], "the registry's own log shows no manifest GET");
    });
  });

/** The paths of the blob HEADs in a registry's access log. */
function blobHeadsOn(registry: DistributionRegistry): string[] {
  return registry
    .accessLog()
    .filter((e) => e.method === "HEAD" && e.path.includes("/blobs/"))
    .map((e) => e.path);
}

function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 150));
}

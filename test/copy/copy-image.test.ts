import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { copyImage } from "../../src/copy/copy-image.js";
import { CopySession } from "../../src/copy/session.js";
import { cosignTag, createSignature, createSyntheticImage } from "../../src/oci/synthetic.js";
import { parseReference } from "../../src/reference/reference.js";
import { RegistryClient } from "../../src/registry/client.js";
import { RegistryRepository } from "../../src/store/registry-repository.js";
import { type DistributionRegistry, startDistribution } from "../helpers/distribution.js";
import { seedImage } from "../helpers/seed.js";
import { digestOf, skopeoRaw } from "../helpers/skopeo.js";
import { skipUnless } from "../helpers/tools.js";

const skip = skipUnless("docker-registry", "skopeo");

describe("copyImage between two docker-registry processes", { skip }, () => {
  let source: DistributionRegistry;
  let target: DistributionRegistry;
  let client: RegistryClient;
  const repo = (registry: DistributionRegistry, path: string) =>
    new RegistryRepository(client, parseReference(`${registry.host}/${path}`));

  before(async () => {
    [source, target] = await Promise.all([startDistribution(), startDistribution()]);
    client = new RegistryClient();
  });
  after(async () => {
    await client?.close();
    await Promise.all([source?.stop(), target?.stop()]);
  });

  test("a multi-arch index keeps its digest and every child's, as skopeo sees them", async () => {
    const image = createSyntheticImage({ seed: "multi", layerSizes: [4096, 512] });
    await seedImage(source.url, "proj/app", image, "v1");
    const session = new CopySession();
    const result = await copyImage(repo(source, "proj/app"), repo(target, "mirror/app"), "v1", { session });
    assert.equal(result.status, "copied");
    assert.equal(result.digest, image.root.digest);
    const raw = await skopeoRaw(`${target.host}/mirror/app:v1`);
    assert.equal(digestOf(raw), image.root.digest, "index bytes unchanged");
    const index = JSON.parse(raw.toString()) as { manifests: { digest: string }[] };
    assert.equal(index.manifests.length, 2);
    for (const child of index.manifests) {
      const childRaw = await skopeoRaw(`${target.host}/mirror/app@${child.digest}`);
      assert.equal(digestOf(childRaw), child.digest, "child manifest bytes unchanged");
    }
    assert.deepEqual(result.platforms, ["linux/amd64", "linux/arm64"]);
    assert.equal(session.counters.blobsCopied, image.blobs.length);
  });

  test("a second copy of the same tag is in sync and makes no manifest GET against the source", async () => {
    const image = createSyntheticImage({ seed: "again" });
    await seedImage(source.url, "proj/again", image, "v1");
    await copyImage(repo(source, "proj/again"), repo(target, "proj/again"), "v1", {
      session: new CopySession(),
    });
    source.clearAccessLog();
    const result = await copyImage(repo(source, "proj/again"), repo(target, "proj/again"), "v1", {
      session: new CopySession(),
    });
    assert.equal(result.status, "in-sync");
    await settle();
    const gets = source.accessLog().filter((e) => e.method === "GET" && e.path.includes("/manifests/"));
    assert.deepEqual(gets, []);
  });

  test("within one registry, blobs are mounted, not uploaded again", async () => {
    const image = createSyntheticImage({ seed: "mount", layerSizes: [2048] });
    await seedImage(target.url, "team/one", image, "v1");
    target.clearAccessLog();
    const session = new CopySession();
    await copyImage(repo(target, "team/one"), repo(target, "team/two"), "v1", { session });
    await settle();
    const log = target.accessLog();
    assert.equal(session.counters.blobsMounted, image.blobs.length);
    assert.equal(session.counters.blobsCopied, 0);
    assert.deepEqual(
      log.filter((e) => (e.method === "PUT" || e.method === "PATCH") && e.path.includes("/blobs/uploads/")),
      [],
      "no blob upload",
    );
    assert.deepEqual(
      log.filter((e) => e.method === "GET" && e.path.includes("/blobs/")),
      [],
      "no blob read",
    );
    assert.equal(digestOf(await skopeoRaw(`${target.host}/team/two:v1`)), image.root.digest);
  });

  test("the --platform filter copies only the chosen children and says the index digest changes", async () => {
    const image = createSyntheticImage({ seed: "platform" });
    await seedImage(source.url, "proj/plat", image, "v1");
    const result = await copyImage(repo(source, "proj/plat"), repo(target, "proj/plat"), "v1", {
      session: new CopySession(),
      platforms: ["linux/arm64"],
    });
    assert.notEqual(result.digest, image.root.digest);
    assert.match(result.warnings.join("\n"), /index digest changes/);
    const index = JSON.parse((await skopeoRaw(`${target.host}/proj/plat:v1`)).toString()) as {
      manifests: { platform: { architecture: string } }[];
    };
    assert.deepEqual(
      index.manifests.map((m) => m.platform.architecture),
      ["arm64"],
    );
  });

  test("cosign signature tags and the referrers fallback tag come along", async () => {
    const image = createSyntheticImage({ seed: "signed" });
    await seedImage(source.url, "proj/signed", image, "v1");
    const signature = createSignature(image.root, "sig");
    await seedImage(source.url, "proj/signed", signature, cosignTag(image.root.digest, "sig"));
    const result = await copyImage(repo(source, "proj/signed"), repo(target, "proj/signed"), "v1", {
      session: new CopySession(),
    });
    assert.equal(result.attachments, 1);
    const raw = await skopeoRaw(`${target.host}/proj/signed:${cosignTag(image.root.digest, "sig")}`);
    assert.equal(digestOf(raw), signature.root.digest);

    const plain = createSyntheticImage({ seed: "unsigned" });
    await seedImage(source.url, "proj/unsigned", plain, "v1");
    const unsigned = await copyImage(repo(source, "proj/unsigned"), repo(target, "proj/unsigned"), "v1", {
      session: new CopySession(),
      referrers: false,
    });
    assert.equal(unsigned.attachments, 0);
  });
});

/** The registry writes its access log line just after answering. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 150));
}

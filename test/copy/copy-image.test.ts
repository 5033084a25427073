import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { ensureBlob } from "../../src/copy/blobs.js";
import { copyImage } from "../../src/copy/copy-image.js";
import { CopySession } from "../../src/copy/session.js";
import { MediaType } from "../../src/oci/media-types.js";
import { cosignTag, createLayer, createSignature, createSyntheticImage } from "../../src/oci/synthetic.js";
import { tagReference } from "../../src/reference/manifest-reference.js";
import { parseReference } from "../../src/reference/reference.js";
import { RegistryClient } from "../../src/registry/client.js";
import { RegistryRepository } from "../../src/store/registry-repository.js";
import type { Repository } from "../../src/store/types.js";
import { type DistributionRegistry, startDistribution } from "../helpers/distribution.js";
import { hasReferrersApi, registryKinds } from "../helpers/registries.js";
import { seedImage } from "../helpers/seed.js";
import { startServeRegistry } from "../helpers/serve.js";
import { digestOf, skopeoRaw } from "../helpers/skopeo.js";
import { skipUnless } from "../helpers/tools.js";

for (const kind of registryKinds)
  describe(`copyImage between two ${kind.name} registries`, {
    skip: kind.skip,
  }, () => {
    let source: DistributionRegistry;
    let target: DistributionRegistry;
    let client: RegistryClient;
    const repo = (registry: DistributionRegistry, path: string) =>
      new RegistryRepository(client, parseReference(`${registry.host}/${path}`));

    before(async () => {
      [source, target] = await Promise.all([kind.start(), kind.start()]);
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

    test("--platform leaves the original index's signature behind and says why", async () => {
      const image = createSyntheticImage({ seed: "signed-subset" });
      const signatureTag = cosignTag(image.root.digest, "sig");
      await seedImage(source.url, "proj/app", image, "v1");
      await seedImage(source.url, "proj/app", createSignature(image.root, "sig"), signatureTag);

      const result = await copyImage(repo(source, "proj/app"), repo(target, "proj/app"), "v1", {
        session: new CopySession(),
        platforms: ["linux/arm64"],
      });

      assert.notEqual(result.digest, image.root.digest);
      assert.equal(result.attachments, 0);
      assert.equal(await repo(target, "proj/app").headManifest(tagReference(signatureTag)), undefined);
      assert.deepEqual(await repo(target, "proj/app").listTags(), ["v1"]);
      const note = result.warnings.find((w) => w.includes(signatureTag));
      assert.ok(note !== undefined, result.warnings.join("\n"));
      assert.match(note, new RegExp(`original ${image.root.digest}`));
      assert.match(note, new RegExp(`another image, ${result.digest}`));
    });

    test("--platform on an unsigned index has no signature to report", async () => {
      const image = createSyntheticImage({ seed: "unsigned-subset" });
      await seedImage(source.url, "proj/plain", image, "v1");
      const result = await copyImage(repo(source, "proj/plain"), repo(target, "proj/plain"), "v1", {
        session: new CopySession(),
        platforms: ["linux/amd64"],
      });
      assert.deepEqual(
        result.warnings.filter((w) => w.startsWith("not copied")),
        [],
      );
    });
    test("cosign signature tags and the referrers fallback tag come along", async () => {
      const image = createSyntheticImage({ seed: "signed" });
      await seedImage(source.url, "proj/signed", image, "v1");
      const signature = createSignature(image.root, "sig");
      await seedImage(source.url, "proj/signed", signature, cosignTag(image.root.digest, "sig"));
      source.clearAccessLog();
      const result = await copyImage(repo(source, "proj/signed"), repo(target, "proj/signed"), "v1", {
        session: new CopySession(),
      });
      assert.equal(result.attachments, 1);
      const raw = await skopeoRaw(`${target.host}/proj/signed:${cosignTag(image.root.digest, "sig")}`);
      assert.equal(digestOf(raw), signature.root.digest);
      await settle();
      const asked = source.accessLog().filter((e) => e.path.includes(`/referrers/${image.root.digest}`));
      const fallbackHeads = source
        .accessLog()
        .filter(
          (e) => e.method === "HEAD" && e.path.endsWith(`/manifests/${fallbackTagOf(image.root.digest)}`),
        );
      const targetReferrers = await client.referrers(
        parseReference(`${target.host}/proj/signed`),
        image.root.digest,
      );
      if (hasReferrersApi(kind)) {
        // The source answers the referrers API, so the fallback tag is not even looked at.
        assert.deepEqual(
          asked.map((e) => e.status),
          [200],
        );
        assert.deepEqual(fallbackHeads, []);
        // The signature has a subject: the target indexes it for its own referrers API.
        assert.deepEqual(
          targetReferrers?.map((d) => d.digest),
          [signature.root.digest],
        );
      } else {
        // No referrers API (404), so the fallback tag is tried; the cosign tag is what carries it.
        assert.deepEqual(
          asked.map((e) => e.status),
          [404],
        );
        assert.equal(fallbackHeads.length, 1);
        assert.equal(targetReferrers, undefined, "docker-registry 2.8 has no referrers API");
      }

      const plain = createSyntheticImage({ seed: "unsigned" });
      await seedImage(source.url, "proj/unsigned", plain, "v1");
      const unsigned = await copyImage(repo(source, "proj/unsigned"), repo(target, "proj/unsigned"), "v1", {
        session: new CopySession(),
        referrers: false,
      });
      assert.equal(unsigned.attachments, 0);
    });

    test("an attachment with no cosign tag comes along: by the referrers API, or by the fallback tag without it", async () => {
      const image = createSyntheticImage({ seed: "attested" });
      await seedImage(source.url, "proj/attested", image, "v1");
      const attestation = createSignature(image.root, "attestation");
      // Pushed by digest only, as an OCI 1.1 client pushes a referrer.
      await seedImage(source.url, "proj/attested", attestation, undefined);
      const fallbackTag = fallbackTagOf(image.root.digest);
      const fallbackIndex = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MediaType.ociIndex,
          manifests: [
            {
              mediaType: attestation.root.mediaType,
              digest: attestation.root.digest,
              size: attestation.root.size,
              artifactType: "application/vnd.dev.cosign.artifact.sig.v1+json",
            },
          ],
        }),
      );
      if (!hasReferrersApi(kind)) {
        // Without the API, a pushing client keeps the referrers in the fallback tag's index.
        const put = await fetch(`${source.url}/v2/proj/attested/manifests/${fallbackTag}`, {
          method: "PUT",
          headers: { "content-type": MediaType.ociIndex },
          body: fallbackIndex,
        });
        assert.equal(put.status, 201, await put.text());
      }
      const result = await copyImage(repo(source, "proj/attested"), repo(target, "proj/attested"), "v1", {
        session: new CopySession(),
      });
      assert.equal(result.attachments, 1);
      const targetRepo = parseReference(`${target.host}/proj/attested`);
      assert.equal(
        digestOf(await skopeoRaw(`${target.host}/proj/attested@${attestation.root.digest}`)),
        attestation.root.digest,
        "the attestation's bytes are in the target",
      );
      if (hasReferrersApi(kind)) {
        assert.deepEqual(
          (await client.referrers(targetRepo, image.root.digest))?.map((d) => d.digest),
          [attestation.root.digest],
        );
        assert.equal(
          await client.headManifest(parseReference(`${target.host}/proj/attested:${fallbackTag}`)),
          undefined,
          "no fallback tag is made up where the API answers",
        );
      } else {
        assert.equal(
          digestOf(await skopeoRaw(`${target.host}/proj/attested:${fallbackTag}`)),
          digestOf(fallbackIndex),
          "the fallback tag and its index come along byte for byte",
        );
      }
    });
  });

describe("copyImage from crossdock serve (referrers API) to docker-registry (none)", {
  skip: skipUnless("docker-registry", "skopeo"),
}, () => {
  let source: DistributionRegistry;
  let target: DistributionRegistry;
  let client: RegistryClient;

  before(async () => {
    [source, target] = await Promise.all([startServeRegistry(), startDistribution()]);
    client = new RegistryClient();
  });
  after(async () => {
    await client?.close();
    await Promise.all([source?.stop(), target?.stop()]);
  });

  test("the signature stays reachable in the target by its cosign tag", async () => {
    const image = createSyntheticImage({ seed: "mixed-signed" });
    await seedImage(source.url, "proj/signed", image, "v1");
    const signature = createSignature(image.root, "mixed-sig");
    const sigTag = cosignTag(image.root.digest, "sig");
    await seedImage(source.url, "proj/signed", signature, sigTag);
    const from = new RegistryRepository(client, parseReference(`${source.host}/proj/signed`));
    const to = new RegistryRepository(client, parseReference(`${target.host}/mirror/signed`));
    assert.deepEqual(
      (await from.referrers(image.root.digest))?.map((d) => d.digest),
      [signature.root.digest],
      "the source lists the signature as a referrer",
    );
    const result = await copyImage(from, to, "v1", { session: new CopySession() });
    assert.equal(result.status, "copied");
    assert.equal(result.attachments, 1);
    assert.equal(digestOf(await skopeoRaw(`${target.host}/mirror/signed:v1`)), image.root.digest);
    assert.equal(
      digestOf(await skopeoRaw(`${target.host}/mirror/signed:${sigTag}`)),
      signature.root.digest,
      "cosign finds the signature by its tag",
    );
    assert.equal(await to.referrers(image.root.digest), undefined, "the target has no referrers API");
    // And a second run finds it all in place.
    const again = await copyImage(from, to, "v1", { session: new CopySession() });
    assert.equal(again.status, "in-sync");
    assert.equal(again.attachments, 1);
  });

  test("an attachment known only through the referrers API gets the fallback tag on the target", async () => {
    const image = createSyntheticImage({ seed: "mixed-sbom" });
    await seedImage(source.url, "proj/sbom", image, "v1");
    const attestation = createSignature(image.root, "mixed-attestation");
    await seedImage(source.url, "proj/sbom", attestation, undefined); // pushed by digest: no tag names it
    const from = new RegistryRepository(client, parseReference(`${source.host}/proj/sbom`));
    const to = new RegistryRepository(client, parseReference(`${target.host}/mirror/sbom`));
    const result = await copyImage(from, to, "v1", { session: new CopySession() });
    assert.equal(result.attachments, 1);
    const fallbackTag = image.root.digest.replace(":", "-");
    const index = JSON.parse((await skopeoRaw(`${target.host}/mirror/sbom:${fallbackTag}`)).toString()) as {
      manifests: { digest: string }[];
    };
    assert.deepEqual(
      index.manifests.map((m) => m.digest),
      [attestation.root.digest],
      "the target's referrers fallback index lists the attestation",
    );
    assert.equal(
      digestOf(await skopeoRaw(`${target.host}/mirror/sbom@${attestation.root.digest}`)),
      attestation.root.digest,
    );
    await copyImage(from, to, "v1", { session: new CopySession() });
    const after = JSON.parse((await skopeoRaw(`${target.host}/mirror/sbom:${fallbackTag}`)).toString()) as {
      manifests: unknown[];
    };
    assert.equal(after.manifests.length, 1, "a second run does not list it twice");
  });
});

test("a blob this run already copied into the same repository is not read again when a HEAD answered stale", async () => {
  // Two tags of one repository share a layer. The second image's HEAD on the target was sent
  // before the first image's upload committed but answers after that transfer settled: the
  // session knows the repository holds the blob, so nothing is read from the source again.
  const layer = createLayer("stale-head", 4096);
  const stored = new Set<string>();
  let reads = 0;
  let heads = 0;
  let pushed: () => void = () => {};
  const pushDone = new Promise<void>((resolve) => {
    pushed = resolve;
  });
  const source = {
    location: "src.example/proj/app",
    storageKey: "src.example",
    getBlob: async () => {
      reads++;
      return { size: layer.size, stream: Readable.from([Buffer.from(layer.bytes)]) };
    },
  } as unknown as Repository;
  const target = {
    location: "dst.example/proj/app",
    storageKey: "dst.example",
    headBlob: async (digest: string) => {
      const first = heads++ === 0;
      const answer = stored.has(digest) ? layer.size : undefined;
      if (!first) await pushDone; // the answer arrives late, from before the commit
      return answer;
    },
    pushBlob: async (digest: string, _size: number, body: Readable) => {
      for await (const _chunk of body);
      stored.add(digest);
      setImmediate(pushed);
    },
    mountBlob: async () => false,
  } as unknown as Repository;
  const session = new CopySession();
  const descriptor = { mediaType: layer.mediaType, digest: layer.digest, size: layer.size };
  await Promise.all([
    ensureBlob(session, source, target, descriptor),
    ensureBlob(session, source, target, descriptor),
  ]);
  assert.equal(reads, 1, "the layer is read from the source once");
  assert.equal(session.counters.blobsCopied, 1);
  assert.equal(session.counters.blobsExisting, 1);
});

/** The referrers tag schema's tag for a digest: `sha256-<hex>`. */
function fallbackTagOf(digest: string): string {
  return digest.replace(":", "-");
}

/** The registry writes its access log line just after answering. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 150));
}

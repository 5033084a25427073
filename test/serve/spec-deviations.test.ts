import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sha256Digest } from "../../src/oci/digest.js";
import { MediaType } from "../../src/oci/media-types.js";
import { createSyntheticImage } from "../../src/oci/synthetic.js";
import { parseReference } from "../../src/reference/reference.js";
import { RegistryClient } from "../../src/registry/client.js";
import type { DistributionRegistry } from "../helpers/distribution.js";
import { registryKinds } from "../helpers/registries.js";
import { seedImage } from "../helpers/seed.js";
import { startServeRegistry } from "../helpers/serve.js";

interface ErrorBody {
  errors: { code: string }[];
}

async function errorCode(response: Response): Promise<string | undefined> {
  return ((await response.json()) as ErrorBody).errors[0]?.code;
}

async function putManifest(url: string, bytes: Uint8Array, contentType: string): Promise<Response> {
  return await fetch(url, { method: "PUT", headers: { "content-type": contentType }, body: bytes });
}

for (const kind of registryKinds) {
  describe(`a manifest whose Content-Type is not its mediaType (${kind.name})`, { skip: kind.skip }, () => {
    let registry: DistributionRegistry;
    before(async () => {
      registry = await kind.start();
    });
    after(async () => {
      await registry.stop();
    });

    test("is refused with 400 MANIFEST_INVALID and tags nothing", async () => {
      const image = createSyntheticImage({ seed: "content-type", index: false });
      await seedImage(registry.url, "ct", { ...image, manifests: [] }, undefined);
      assert.equal(image.root.mediaType, MediaType.ociManifest);
      const put = await putManifest(
        `${registry.url}/v2/ct/manifests/v1`,
        image.root.bytes,
        MediaType.ociIndex,
      );
      assert.equal(put.status, 400);
      assert.equal(await errorCode(put), "MANIFEST_INVALID");
      const get = await fetch(`${registry.url}/v2/ct/manifests/v1`, { method: "HEAD" });
      assert.equal(get.status, 404);
      const right = await putManifest(
        `${registry.url}/v2/ct/manifests/v1`,
        image.root.bytes,
        image.root.mediaType,
      );
      await right.arrayBuffer();
      assert.equal(right.status, 201, "the same bytes with their own media type are taken");
    });
  });
}

describe("crossdock serve and the spec's details", () => {
  let registry: DistributionRegistry;
  before(async () => {
    registry = await startServeRegistry();
  });
  after(async () => {
    await registry.stop();
  });

  test("a malformed tag is a 400, on a push (MANIFEST_INVALID) and on a pull (TAG_INVALID), and stores nothing", async () => {
    const image = createSyntheticImage({ seed: "bad-tag", index: false });
    await seedImage(registry.url, "badtag", { ...image, manifests: [] }, undefined);
    for (const tag of ["-dash", ".dot", "a".repeat(129), "a%2Fb", "sp%20ace"]) {
      const put = await putManifest(
        `${registry.url}/v2/badtag/manifests/${tag}`,
        image.root.bytes,
        image.root.mediaType,
      );
      assert.equal(put.status, 400, tag);
      assert.equal(await errorCode(put), "MANIFEST_INVALID", tag);
      const get = await fetch(`${registry.url}/v2/badtag/manifests/${tag}`);
      assert.equal(get.status, 400, tag);
      assert.equal(await errorCode(get), "TAG_INVALID", tag);
    }
    const malformedDigest = await fetch(`${registry.url}/v2/badtag/manifests/sha256:abc`);
    assert.equal(malformedDigest.status, 400);
    assert.equal(await errorCode(malformedDigest), "DIGEST_INVALID");
    const tags = (await (await fetch(`${registry.url}/v2/badtag/tags/list`)).json()) as { tags: string[] };
    assert.deepEqual(tags.tags, []);
  });

  test("?tag= on a push by digest sets every tag, answered with OCI-Tag; a bad one stores nothing", async () => {
    const image = createSyntheticImage({ seed: "push-with-tags", index: false });
    await seedImage(registry.url, "withtags", { ...image, manifests: [] }, undefined);
    const base = `${registry.url}/v2/withtags/manifests/${image.root.digest}`;
    const refused = await putManifest(`${base}?tag=good&tag=-bad`, image.root.bytes, image.root.mediaType);
    assert.equal(refused.status, 400);
    assert.equal(await errorCode(refused), "MANIFEST_INVALID");
    assert.equal((await fetch(`${base}`, { method: "HEAD" })).status, 404, "nothing stored");
    const put = await putManifest(
      `${base}?tag=1.2.3&tag=1.2&tag=latest`,
      image.root.bytes,
      image.root.mediaType,
    );
    await put.arrayBuffer();
    assert.equal(put.status, 201);
    assert.equal(put.headers.get("oci-tag"), "1.2.3, 1.2, latest");
    assert.equal(put.headers.get("docker-content-digest"), image.root.digest);
    const tags = (await (await fetch(`${registry.url}/v2/withtags/tags/list`)).json()) as { tags: string[] };
    assert.deepEqual(tags.tags, ["1.2", "1.2.3", "latest"]);
    for (const tag of tags.tags) {
      const head = await fetch(`${registry.url}/v2/withtags/manifests/${tag}`, { method: "HEAD" });
      assert.equal(head.headers.get("docker-content-digest"), image.root.digest, tag);
    }
    const byTag = await putManifest(
      `${registry.url}/v2/withtags/manifests/v9?tag=other`,
      image.root.bytes,
      image.root.mediaType,
    );
    assert.equal(byTag.status, 400, "?tag= belongs to a push by digest");
    await byTag.arrayBuffer();
  });

  test("the referrers index is paginated with a Link header, and crossdock's client reads every page", async () => {
    const subject = createSyntheticImage({ seed: "many-referrers", index: false });
    await seedImage(registry.url, "refs", subject, "v1");
    const empty = Buffer.from("{}");
    await (
      await fetch(`${registry.url}/v2/refs/blobs/uploads/?digest=${sha256Digest(empty)}`, {
        method: "POST",
        body: empty,
      })
    ).arrayBuffer();
    const pushed: string[] = [];
    // 70 referrers of about 4 KiB each: more than one 256 KiB page.
    for (let i = 0; i < 70; i++) {
      const bytes = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MediaType.ociManifest,
          artifactType: "application/vnd.example.note",
          config: { mediaType: MediaType.ociEmpty, digest: sha256Digest(empty), size: empty.length },
          layers: [],
          subject: {
            mediaType: subject.root.mediaType,
            digest: subject.root.digest,
            size: subject.root.size,
          },
          annotations: { "org.example.note": `${i}:${"n".repeat(4096)}` },
        }),
      );
      const digest = sha256Digest(bytes);
      const put = await putManifest(
        `${registry.url}/v2/refs/manifests/${digest}`,
        bytes,
        MediaType.ociManifest,
      );
      await put.arrayBuffer();
      assert.equal(put.status, 201);
      pushed.push(digest);
    }
    const seen: string[] = [];
    let next: string | undefined =
      `/v2/refs/referrers/${subject.root.digest}?artifactType=application/vnd.example.note`;
    let pages = 0;
    while (next !== undefined) {
      const response = await fetch(new URL(next, registry.url));
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("oci-filters-applied"), "artifactType");
      const index = (await response.json()) as { manifests: { digest: string }[] };
      assert.ok(index.manifests.length > 0);
      seen.push(...index.manifests.map((m) => m.digest));
      next = /^<([^>]+)>;\s*rel="next"$/.exec(response.headers.get("link") ?? "")?.[1];
      pages++;
    }
    assert.ok(pages >= 2, `${pages} page(s)`);
    assert.deepEqual(seen, [...pushed].sort(), "every referrer once, in digest order");
    const client = new RegistryClient();
    try {
      const listed = await client.referrers(parseReference(`${registry.host}/refs`), subject.root.digest);
      assert.deepEqual(listed?.map((d) => d.digest).sort(), [...pushed].sort());
    } finally {
      await client.close();
    }
  });
});

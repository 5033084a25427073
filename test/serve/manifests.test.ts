import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { sha256Digest } from "../../src/oci/digest.js";
import { MediaType } from "../../src/oci/media-types.js";
import { createSignature, createSyntheticImage } from "../../src/oci/synthetic.js";
import type { DistributionRegistry } from "../helpers/distribution.js";
import { seedImage } from "../helpers/seed.js";
import { startServeRegistry } from "../helpers/serve.js";

let registry: DistributionRegistry;
before(async () => {
  registry = await startServeRegistry();
});
after(async () => {
  await registry.stop();
});

interface ErrorBody {
  errors: { code: string; message: string; detail: unknown }[];
}

test("a manifest is served as the exact bytes pushed, with its media type and digest", async () => {
  const image = createSyntheticImage({ seed: "exact", format: "docker" });
  await seedImage(registry.url, "exact", image, "v1");
  const response = await fetch(`${registry.url}/v2/exact/manifests/v1`, {
    headers: { accept: MediaType.dockerManifestList },
  });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), MediaType.dockerManifestList);
  assert.equal(response.headers.get("docker-content-digest"), image.root.digest);
  assert.equal(sha256Digest(new Uint8Array(await response.arrayBuffer())), image.root.digest);
  const head = await fetch(`${registry.url}/v2/exact/manifests/${image.root.digest}`, { method: "HEAD" });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get("content-length"), String(image.root.size));
});

test("a manifest naming a blob or child manifest the repository lacks is refused with MANIFEST_BLOB_UNKNOWN", async () => {
  const image = createSyntheticImage({ seed: "missing" });
  const child = image.manifests[0]!;
  const put = await fetch(`${registry.url}/v2/missing/manifests/${child.digest}`, {
    method: "PUT",
    headers: { "content-type": child.mediaType },
    body: child.bytes,
  });
  assert.equal(put.status, 400);
  const body = (await put.json()) as ErrorBody;
  assert.equal(body.errors[0]?.code, "MANIFEST_BLOB_UNKNOWN");
  const index = await fetch(`${registry.url}/v2/missing/manifests/latest`, {
    method: "PUT",
    headers: { "content-type": image.root.mediaType },
    body: image.root.bytes,
  });
  assert.equal(((await index.json()) as ErrorBody).errors[0]?.code, "MANIFEST_BLOB_UNKNOWN");
  assert.equal((await fetch(`${registry.url}/v2/missing/manifests/latest`)).status, 404);
});

test("non-distributable layers and layers with urls need not be in the registry", async () => {
  const config = Buffer.from("{}");
  const configDigest = sha256Digest(config);
  await (
    await fetch(`${registry.url}/v2/foreign/blobs/uploads/?digest=${configDigest}`, {
      method: "POST",
      body: config,
    })
  ).arrayBuffer();
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: { mediaType: MediaType.ociConfig, digest: configDigest, size: config.length },
      layers: [
        {
          mediaType: MediaType.ociLayerNondistributableGzip,
          digest: sha256Digest(Buffer.from("a")),
          size: 1,
        },
        {
          mediaType: MediaType.ociLayerGzip,
          digest: sha256Digest(Buffer.from("b")),
          size: 1,
          urls: ["https://example.com/b"],
        },
      ],
    }),
  );
  const put = await fetch(`${registry.url}/v2/foreign/manifests/1`, {
    method: "PUT",
    headers: { "content-type": MediaType.ociManifest },
    body: manifest,
  });
  await put.arrayBuffer();
  assert.equal(put.status, 201);
});

test("a PUT by digest must match the bytes; malformed JSON is MANIFEST_INVALID", async () => {
  const image = createSyntheticImage({ seed: "bydigest", index: false });
  await seedImage(registry.url, "bydigest", { ...image, manifests: [] }, undefined);
  const wrong = await fetch(`${registry.url}/v2/bydigest/manifests/${sha256Digest(Buffer.from("x"))}`, {
    method: "PUT",
    headers: { "content-type": image.root.mediaType },
    body: image.root.bytes,
  });
  assert.equal(((await wrong.json()) as ErrorBody).errors[0]?.code, "DIGEST_INVALID");
  const junk = await fetch(`${registry.url}/v2/bydigest/manifests/x`, {
    method: "PUT",
    headers: { "content-type": MediaType.ociManifest },
    body: "{not json",
  });
  assert.equal(junk.status, 400);
  assert.equal(((await junk.json()) as ErrorBody).errors[0]?.code, "MANIFEST_INVALID");
});

test("the referrers API lists a signature by its subject, filtered by artifactType", async () => {
  const image = createSyntheticImage({ seed: "signed", index: false });
  await seedImage(registry.url, "signed", image, "v1");
  const signature = createSignature(image.root, "sig-1");
  const sigManifest = signature.root;
  for (const blob of signature.blobs) {
    await (
      await fetch(`${registry.url}/v2/signed/blobs/uploads/?digest=${blob.digest}`, {
        method: "POST",
        body: blob.bytes,
      })
    ).arrayBuffer();
  }
  const put = await fetch(`${registry.url}/v2/signed/manifests/${sigManifest.digest}`, {
    method: "PUT",
    headers: { "content-type": sigManifest.mediaType },
    body: sigManifest.bytes,
  });
  await put.arrayBuffer();
  assert.equal(put.status, 201);
  assert.equal(put.headers.get("oci-subject"), image.root.digest);
  const referrers = await fetch(`${registry.url}/v2/signed/referrers/${image.root.digest}`);
  assert.equal(referrers.status, 200);
  assert.equal(referrers.headers.get("content-type"), MediaType.ociIndex);
  const index = (await referrers.json()) as {
    manifests: { digest: string; artifactType?: string; size: number }[];
  };
  assert.deepEqual(
    index.manifests.map((m) => [m.digest, m.artifactType, m.size]),
    [[sigManifest.digest, "application/vnd.dev.cosign.artifact.sig.v1+json", sigManifest.size]],
  );
  const filtered = await fetch(
    `${registry.url}/v2/signed/referrers/${image.root.digest}?artifactType=application/x-other`,
  );
  assert.equal(filtered.headers.get("oci-filters-applied"), "artifactType");
  assert.deepEqual(((await filtered.json()) as { manifests: unknown[] }).manifests, []);
  const deleted = await fetch(`${registry.url}/v2/signed/manifests/${sigManifest.digest}`, {
    method: "DELETE",
  });
  assert.equal(deleted.status, 202);
  const after = (await (await fetch(`${registry.url}/v2/signed/referrers/${image.root.digest}`)).json()) as {
    manifests: unknown[];
  };
  assert.deepEqual(after.manifests, []);
});

test("deleting a tag keeps the manifest; deleting the manifest removes its tags", async () => {
  const image = createSyntheticImage({ seed: "deletions", index: false });
  await seedImage(registry.url, "deletions", image, "a");
  await seedImage(registry.url, "deletions", image, "b");
  assert.equal((await fetch(`${registry.url}/v2/deletions/manifests/a`, { method: "DELETE" })).status, 202);
  assert.equal((await fetch(`${registry.url}/v2/deletions/manifests/a`)).status, 404);
  assert.equal(
    (await fetch(`${registry.url}/v2/deletions/manifests/${image.root.digest}`, { method: "HEAD" })).status,
    200,
  );
  assert.equal(
    (await fetch(`${registry.url}/v2/deletions/manifests/${image.root.digest}`, { method: "DELETE" })).status,
    202,
  );
  assert.equal((await fetch(`${registry.url}/v2/deletions/manifests/b`, { method: "HEAD" })).status, 404);
  const tags = (await (await fetch(`${registry.url}/v2/deletions/tags/list`)).json()) as { tags: string[] };
  assert.deepEqual(tags.tags, []);
});

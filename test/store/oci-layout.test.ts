import assert from "node:assert/strict";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { test } from "node:test";
import { UsageError } from "../../src/errors.js";
import { sha256Digest } from "../../src/oci/digest.js";
import { MediaType } from "../../src/oci/media-types.js";
import { createSyntheticImage } from "../../src/oci/synthetic.js";
import { digestReference, tagReference } from "../../src/reference/manifest-reference.js";
import { OciLayoutError } from "../../src/store/layout-errors.js";
import { refNameAnnotation } from "../../src/store/layout-index.js";
import { openOciLayout } from "../../src/store/oci-layout.js";
import { assertHoldsImage, makeTempDir, readAll, writeImage } from "./layout-fixtures.js";

interface IndexJson {
  manifests: { digest: string; mediaType: string; size: number; annotations?: Record<string, string> }[];
}

async function readIndex(dir: string): Promise<IndexJson> {
  return JSON.parse(await readFile(path.join(dir, "index.json"), "utf8")) as IndexJson;
}

test("openOciLayout creates a layout when asked and refuses a directory that is not one", async () => {
  const tmp = await makeTempDir();
  try {
    const dir = path.join(tmp, "new", "layout");
    await assert.rejects(
      openOciLayout(dir, { create: false }),
      (e) => e instanceof UsageError && /no oci-layout/.test(e.message),
    );
    const repo = await openOciLayout(dir, { create: true });
    assert.equal(repo.location, `oci:${dir}`);
    assert.equal(repo.storageKey, `oci:${path.resolve(dir)}`);
    assert.deepEqual(JSON.parse(await readFile(path.join(dir, "oci-layout"), "utf8")), {
      imageLayoutVersion: "1.0.0",
    });
    assert.deepEqual((await readIndex(dir)).manifests, []);
    assert.deepEqual(await repo.listTags(), []);
    assert.equal(await repo.referrers(sha256Digest(Buffer.from("x"))), undefined);
    // Opening again (with or without create) keeps it as it is.
    assert.equal((await openOciLayout(dir, { create: false })).root, path.resolve(dir));

    const other = path.join(tmp, "other");
    await mkdir(other);
    await writeFile(path.join(other, "notes.txt"), "mine");
    await assert.rejects(openOciLayout(other, { create: true }), UsageError);
    assert.deepEqual(await readdir(other), ["notes.txt"], "nothing written into a foreign directory");
    await assert.rejects(openOciLayout(path.join(other, "notes.txt"), { create: true }), UsageError);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});

test("an image written through the API reads back whole; children are blobs, the tag is an index.json entry", async () => {
  const tmp = await makeTempDir();
  try {
    const repo = await openOciLayout(tmp, { create: true });
    const image = createSyntheticImage({ seed: "layout-roundtrip" });
    await writeImage(repo, image, "v1");
    await assertHoldsImage(repo, "v1", image);
    const index = await readIndex(tmp);
    assert.equal(index.manifests.length, 1, "children of the index are not index.json entries");
    assert.deepEqual(index.manifests[0], {
      mediaType: MediaType.ociIndex,
      digest: image.root.digest,
      size: image.root.size,
      annotations: { [refNameAnnotation]: "v1" },
    });
    const child = image.manifests[0]!;
    assert.deepEqual(await repo.headManifest(digestReference(child.digest)), {
      digest: child.digest,
      mediaType: MediaType.ociManifest,
      size: child.size,
    });
    assert.equal(
      await repo.headManifest(digestReference(image.blobs[0]!.digest)),
      undefined,
      "a layer is not a manifest",
    );
    assert.equal(await repo.headManifest(tagReference("v2")), undefined);
    await assert.rejects(
      repo.getManifest(tagReference("v2")),
      (e) => e instanceof OciLayoutError && e.code === "MANIFEST_UNKNOWN",
    );
    assert.equal(await repo.mountBlob(image.blobs[0]!.digest, repo), true);
    assert.equal(await repo.mountBlob(sha256Digest(Buffer.from("absent")), repo), false);

    // Re-tagging replaces the entry instead of adding one.
    const next = createSyntheticImage({ seed: "layout-roundtrip-2", index: false, format: "docker" });
    await writeImage(repo, next, "v1");
    const after = await readIndex(tmp);
    assert.deepEqual(
      after.manifests.map((d) => [d.annotations?.[refNameAnnotation], d.digest, d.mediaType]),
      [["v1", next.root.digest, MediaType.dockerManifest]],
    );
    await assertHoldsImage(repo, "v1", next);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});

test("a blob whose bytes do not match is refused and leaves nothing in the layout", async () => {
  const tmp = await makeTempDir();
  try {
    const repo = await openOciLayout(tmp, { create: true });
    const good = Buffer.from("the right bytes");
    const digest = sha256Digest(good);
    const bad = Buffer.from("the wrong bytes");
    await assert.rejects(
      repo.pushBlob(digest, bad.length, Readable.from([bad])),
      (e) => e instanceof OciLayoutError && e.code === "DIGEST_INVALID",
    );
    await assert.rejects(
      repo.pushBlob(digest, good.length - 1, Readable.from([good])),
      (e) => e instanceof OciLayoutError && e.code === "SIZE_INVALID",
    );
    assert.equal(await repo.headBlob(digest), undefined);
    assert.deepEqual(await readdir(path.join(tmp, "blobs")), [], "nothing under blobs/");
    assert.deepEqual(
      (await readdir(tmp)).sort(),
      ["blobs", "index.json", "oci-layout"],
      "no temporary file left",
    );
    await assert.rejects(repo.pushBlob("sha256:../../etc", 1, Readable.from([good])), OciLayoutError);

    await repo.pushBlob(digest, good.length, Readable.from([good]));
    assert.equal(await repo.headBlob(digest), good.length);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});

test("getBlob errors instead of ending when the stored bytes were altered", async () => {
  const tmp = await makeTempDir();
  try {
    const repo = await openOciLayout(tmp, { create: true });
    const bytes = Buffer.alloc(200_000, 7);
    const digest = sha256Digest(bytes);
    await repo.pushBlob(digest, bytes.length, Readable.from([bytes]));
    assert.deepEqual(await readAll((await repo.getBlob(digest, bytes.length)).stream), bytes);
    await assert.rejects(
      repo.getBlob(digest, bytes.length + 1),
      (e) => e instanceof OciLayoutError && e.code === "SIZE_INVALID",
    );
    const altered = Buffer.from(bytes);
    altered[123_456] = 8;
    await writeFile(path.join(tmp, "blobs", "sha256", digest.slice("sha256:".length)), altered);
    const reader = await repo.getBlob(digest, bytes.length);
    await assert.rejects(
      readAll(reader.stream),
      (e) => e instanceof OciLayoutError && e.code === "DIGEST_INVALID",
    );
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});

test("a manifest that names missing content or mismatches its digest is refused, and no tag is written", async () => {
  const tmp = await makeTempDir();
  try {
    const repo = await openOciLayout(tmp, { create: true });
    const image = createSyntheticImage({ seed: "layout-missing", index: false });
    await assert.rejects(
      repo.putManifest(tagReference("v1"), image.root.bytes, image.root.mediaType),
      (e) => e instanceof OciLayoutError && e.code === "MANIFEST_BLOB_UNKNOWN",
    );
    await assert.rejects(
      repo.putManifest(
        digestReference(sha256Digest(Buffer.from("other"))),
        image.root.bytes,
        image.root.mediaType,
      ),
      (e) => e instanceof OciLayoutError && e.code === "DIGEST_INVALID",
    );
    await assert.rejects(
      repo.putManifest(tagReference("bad tag"), image.root.bytes, image.root.mediaType),
      UsageError,
    );
    assert.deepEqual((await readIndex(tmp)).manifests, []);
    assert.equal(await repo.headBlob(image.root.digest), undefined);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});

test("concurrent putManifest of many tags (two repository objects, one layout) all end up in index.json", async () => {
  const tmp = await makeTempDir();
  try {
    const first = await openOciLayout(tmp, { create: true });
    const second = await openOciLayout(tmp, { create: false });
    const images = Array.from({ length: 8 }, (_, i) =>
      createSyntheticImage({ seed: `concurrent-${i}`, index: false }),
    );
    for (const image of images)
      for (const blob of image.blobs)
        await first.pushBlob(blob.digest, blob.size, Readable.from([Buffer.from(blob.bytes)]));
    await Promise.all(
      images.map((image, i) =>
        (i % 2 === 0 ? first : second).putManifest(
          tagReference(`t${i}`),
          image.root.bytes,
          image.root.mediaType,
        ),
      ),
    );
    assert.deepEqual(await first.listTags(), images.map((_, i) => `t${i}`).sort());
    const index = await readIndex(tmp);
    for (const [i, image] of images.entries()) {
      assert.equal(
        index.manifests.find((d) => d.annotations?.[refNameAnnotation] === `t${i}`)?.digest,
        image.root.digest,
      );
    }
    assert.ok(
      !(await readdir(tmp)).some((name) => name.startsWith(".crossdock-")),
      "no lock or temporary file left",
    );
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { sha256Digest } from "../../src/oci/digest.js";
import { createLayer, createSignature, createSyntheticImage } from "../../src/oci/synthetic.js";
import { parseReference, withDigest, withTag } from "../../src/reference/reference.js";
import { RegistryClient } from "../../src/registry/client.js";
import { RegistryError } from "../../src/registry/errors.js";
import type { DistributionRegistry } from "../helpers/distribution.js";
import { hasReferrersApi, registryKinds } from "../helpers/registries.js";
import { seedImage } from "../helpers/seed.js";
import { skipUnless } from "../helpers/tools.js";

const execFileAsync = promisify(execFile);

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A stream of `bytes` in pieces of `piece` bytes (so chunking has to regroup them). */
function streamOf(bytes: Uint8Array, piece: number): Readable {
  const pieces: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += piece) pieces.push(Buffer.from(bytes.subarray(i, i + piece)));
  return Readable.from(pieces);
}

for (const kind of registryKinds)
  describe(`registry client against ${kind.name} (anonymous)`, {
    skip: kind.skip,
  }, () => {
    let registry: DistributionRegistry;
    let client: RegistryClient;
    const image = createSyntheticImage({ seed: "client-anon", layerSizes: [2048, 70_000] });

    before(async () => {
      registry = await kind.start();
      await seedImage(registry.url, "source/app", image, "1.0");
      client = new RegistryClient({ retryBaseMs: 10 });
    });
    after(async () => {
      await client?.close();
      await registry?.stop();
    });

    test("ping, HEAD and GET a manifest: exact bytes, digest, media type", async () => {
      await client.ping(registry.host);
      const ref = parseReference(`${registry.host}/source/app:1.0`);
      const head = await client.headManifest(ref);
      assert.deepEqual(head, {
        digest: image.root.digest,
        mediaType: image.root.mediaType,
        size: image.root.size,
      });
      const fetched = await client.getManifest(ref);
      assert.equal(fetched.digest, image.root.digest);
      assert.equal(fetched.mediaType, image.root.mediaType);
      assert.deepEqual(Buffer.from(fetched.bytes), Buffer.from(image.root.bytes));
      const child = image.manifests[0]!;
      const byDigest = await client.getManifest(withDigest(ref, child.digest));
      assert.equal(byDigest.digest, child.digest);
      assert.equal(await client.headManifest(withTag(ref, "missing")), undefined);
      await assert.rejects(client.getManifest(withTag(ref, "missing")), (error: unknown) => {
        assert.ok(error instanceof RegistryError);
        assert.equal(error.status, 404);
        assert.equal(error.code, "MANIFEST_UNKNOWN");
        assert.equal(error.temporary, false);
        assert.ok(error.errors.length > 0, "spec error codes read from the body");
        return true;
      });
      const stats = client.stats.forHost(registry.host);
      assert.ok(stats.manifestHead >= 2 && stats.manifestGet >= 3);
    });

    test("GET a blob as a verifying stream; HEAD gives its size", async () => {
      const repo = parseReference(`${registry.host}/source/app`);
      const layer = image.blobs.find((b) => b.size > 10_000)!;
      assert.equal(await client.headBlob(repo, layer.digest), layer.size);
      const before = client.stats.forHost(registry.host).blobBytesRead;
      const reader = await client.getBlob(repo, layer.digest, { expectedSize: layer.size });
      assert.equal(reader.size, layer.size);
      const bytes = await readAll(reader.stream);
      assert.equal(sha256Digest(bytes), layer.digest);
      assert.equal(client.stats.forHost(registry.host).blobBytesRead - before, layer.size);
      assert.equal(await client.headBlob(repo, sha256Digest(Buffer.from("absent"))), undefined);
    });

    test("push blobs monolithic and chunked, mount one, push manifests; skopeo reads the image back", {
      skip: skipUnless("skopeo"),
    }, async () => {
      const target = parseReference(`${registry.host}/target/app:2.0`);
      const [first, ...rest] = image.blobs;
      assert.ok(first !== undefined);
      // monolithic from bytes, chunked from a stream in odd pieces, the rest mounted from source/app
      await client.pushBlob(target, first.digest, first.size, first.bytes);
      const big = image.blobs.find((b) => b.size > 10_000)!;
      const log0 = registry.accessLog().length;
      await client.pushBlob(target, big.digest, big.size, streamOf(big.bytes, 7_001), { chunkSize: 16_384 });
      const patches = registry
        .accessLog()
        .slice(log0)
        .filter((e) => e.method === "PATCH" && e.status === 202);
      assert.equal(patches.length, Math.ceil(big.size / 16_384), "one PATCH per chunk");
      for (const blob of rest) {
        if (blob === big) continue;
        assert.equal(
          await client.mountBlob(target, blob.digest, parseReference(`${registry.host}/source/app`)),
          true,
        );
      }
      for (const blob of image.blobs) assert.equal(await client.headBlob(target, blob.digest), blob.size);
      for (const manifest of image.manifests) {
        const ref = manifest === image.root ? target : withDigest(target, manifest.digest);
        assert.equal(await client.putManifest(ref, manifest.bytes, manifest.mediaType), manifest.digest);
      }
      const raw = await execFileAsync("skopeo", [
        "inspect",
        "--raw",
        "--tls-verify=false",
        `docker://${target.name}:2.0`,
      ]);
      assert.equal(sha256Digest(Buffer.from(raw.stdout)), image.root.digest);
      const dir = await mkdtemp(path.join(os.tmpdir(), "crossdock-skopeo-"));
      try {
        // skopeo checks every blob's digest as it copies; a wrong byte fails the copy.
        await execFileAsync("skopeo", [
          "copy",
          "--all",
          "--src-tls-verify=false",
          `docker://${target.name}:2.0`,
          `oci:${dir}:copied`,
        ]);
        const index = JSON.parse(await readFile(path.join(dir, "index.json"), "utf8")) as {
          manifests: { digest: string }[];
        };
        assert.equal(index.manifests[0]?.digest, image.root.digest);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    test("a mount that cannot happen returns false and cancels the upload the registry opened", async () => {
      const target = parseReference(`${registry.host}/target/other`);
      const absent = sha256Digest(Buffer.from("not in any repository"));
      registry.clearAccessLog();
      assert.equal(
        await client.mountBlob(target, absent, parseReference(`${registry.host}/source/app`)),
        false,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      const log = registry.accessLog();
      assert.ok(
        log.some((e) => e.method === "POST" && e.status === 202),
        "registry answered 202: an upload session",
      );
      assert.ok(
        log.some((e) => e.method === "DELETE" && e.path.includes("/blobs/uploads/")),
        "session cancelled",
      );
      // another registry cannot be mounted from at all
      assert.equal(await client.mountBlob(target, absent, parseReference("ghcr.io/x/y")), false);
    });

    test("a body that fails mid-upload aborts the upload: nothing is committed", async () => {
      const target = parseReference(`${registry.host}/target/broken`);
      const layer = createLayer("broken-body", 50_000);
      const failing = new Readable({
        read() {
          this.push(Buffer.from(layer.bytes.subarray(0, 10_000)));
          this.destroy(new Error("source went away"));
        },
      });
      await assert.rejects(client.pushBlob(target, layer.digest, layer.size, failing), /source went away/);
      const chunked = new Readable({
        read() {
          this.push(Buffer.from(layer.bytes.subarray(0, 20_000)));
          this.destroy(new Error("source went away again"));
        },
      });
      await assert.rejects(
        client.pushBlob(target, layer.digest, layer.size, chunked, { chunkSize: 8192 }),
        /source went away again/,
      );
      assert.equal(await client.headBlob(target, layer.digest), undefined);
      // and a body shorter than its stated size fails too
      await assert.rejects(client.pushBlob(target, layer.digest, layer.size + 1, layer.bytes));
      assert.equal(await client.headBlob(target, layer.digest), undefined);
    });

    test("tags and catalog read every page", async () => {
      const repo = parseReference(`${registry.host}/many/tags`);
      const small = createSyntheticImage({ seed: "many-tags", index: false, layerSizes: [16] });
      await seedImage(registry.url, "many/tags", small, undefined);
      const expected: string[] = [];
      for (let i = 0; i < 25; i++) {
        const tag = `v${String(i).padStart(2, "0")}`;
        expected.push(tag);
        await client.putManifest(withTag(repo, tag), small.root.bytes, small.root.mediaType);
      }
      assert.deepEqual((await client.listTags(repo, { pageSize: 10 })).sort(), expected);
      for (const name of ["cat/a", "cat/b", "cat/c", "cat/d", "cat/e"])
        await seedImage(registry.url, name, small, "x");
      registry.clearAccessLog();
      const repositories = await client.catalog(registry.host, { pageSize: 2 });
      for (const name of ["cat/a", "cat/b", "cat/c", "cat/d", "cat/e", "source/app", "many/tags"]) {
        assert.ok(repositories.includes(name), `${name} listed`);
      }
      assert.equal(new Set(repositories).size, repositories.length, "no page read twice");
      await new Promise((resolve) => setTimeout(resolve, 100));
      const pages = registry.accessLog().filter((e) => e.path.startsWith("/v2/_catalog"));
      assert.ok(pages.length >= 4, `catalog read in ${pages.length} pages`);
    });

    if (!hasReferrersApi(kind)) {
      test("referrers: docker-registry 2.8 has no referrers API, so undefined (use the tag fallback)", async () => {
        const repo = parseReference(`${registry.host}/source/app`);
        assert.equal(await client.referrers(repo, image.root.digest), undefined);
      });
    } else {
      test("referrers: crossdock serve has the referrers API: empty, then the artifact pushed with a subject", async () => {
        const repo = parseReference(`${registry.host}/source/app`);
        assert.deepEqual(
          await client.referrers(repo, image.root.digest),
          [],
          "none yet, but the API answers",
        );
        const signature = createSignature(image.root, "client-referrer");
        await seedImage(registry.url, "source/app", signature, undefined);
        const found = await client.referrers(repo, image.root.digest);
        assert.deepEqual(
          found?.map((d) => [d.digest, d.mediaType, d.size, d.artifactType]),
          [
            [
              signature.root.digest,
              signature.root.mediaType,
              signature.root.size,
              "application/vnd.dev.cosign.artifact.sig.v1+json",
            ],
          ],
        );
        assert.deepEqual(
          await client.referrers(repo, image.root.digest, { artifactType: "application/spdx+json" }),
          [],
          "filtered by artifact type",
        );
        assert.deepEqual(
          await client.referrers(repo, image.manifests[0]!.digest),
          [],
          "only the subject's referrers",
        );
      });
    }

    test("delete a manifest and a blob", async () => {
      const small = createSyntheticImage({ seed: "to-delete", index: false, layerSizes: [32] });
      await seedImage(registry.url, "trash/app", small, "gone");
      const ref = parseReference(`${registry.host}/trash/app:gone`);
      await client.deleteManifest(withDigest(ref, small.root.digest));
      assert.equal(await client.headManifest(withDigest(ref, small.root.digest)), undefined);
      const blob = small.blobs[0]!;
      await client.deleteBlob(ref, blob.digest);
      assert.equal(await client.headBlob(ref, blob.digest), undefined);
      assert.equal(client.rateLimit(registry.host), undefined, `${kind.name} states no rate limit`);
    });
  });

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { sha256Digest } from "../../src/oci/digest.js";
import { parseManifest } from "../../src/oci/manifest.js";
import type { SyntheticImage } from "../../src/oci/synthetic.js";
import {
  digestReference,
  parseManifestReference,
  tagReference,
} from "../../src/reference/manifest-reference.js";
import type { Repository } from "../../src/store/types.js";

/** A fresh temporary directory for one test (the caller removes it). */
export async function makeTempDir(): Promise<string> {
  return await mkdtemp(path.join(os.tmpdir(), "crossdock-store-test-"));
}

/** Writes an image through the Repository API as the copy engine does: blobs, child manifests by digest, the root under `tag` last. */
export async function writeImage(repository: Repository, image: SyntheticImage, tag: string): Promise<void> {
  for (const blob of image.blobs) {
    await repository.pushBlob(blob.digest, blob.size, Readable.from([Buffer.from(blob.bytes)]));
  }
  for (const manifest of image.manifests) {
    const reference = manifest === image.root ? tagReference(tag) : digestReference(manifest.digest);
    await repository.putManifest(reference, manifest.bytes, manifest.mediaType);
  }
}

/** Reads a whole stream. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Reads `tag` and everything under it through the Repository API and checks each manifest's and
 * blob's bytes against the digests of `image` (sha256 of the raw bytes).
 */
export async function assertHoldsImage(
  repository: Repository,
  tag: string,
  image: SyntheticImage,
): Promise<void> {
  const head = await repository.headManifest(tagReference(tag));
  assert.equal(head?.digest, image.root.digest, `${repository.location}:${tag} names the root`);
  assert.equal(head?.mediaType, image.root.mediaType);
  const seen = new Set<string>();
  const visit = async (reference: string, expectedDigest: string): Promise<void> => {
    const fetched = await repository.getManifest(parseManifestReference(reference));
    assert.equal(sha256Digest(fetched.bytes), expectedDigest);
    const manifest = parseManifest(fetched.bytes, fetched.mediaType);
    if (manifest.kind === "index") {
      for (const child of manifest.manifests) await visit(child.digest, child.digest);
      return;
    }
    for (const blob of [manifest.config, ...manifest.layers]) {
      const reader = await repository.getBlob(blob.digest, blob.size);
      assert.equal(sha256Digest(await readAll(reader.stream)), blob.digest);
      seen.add(blob.digest);
    }
  };
  await visit(tag, image.root.digest);
  assert.deepEqual(
    [...seen].sort(),
    image.blobs.map((b) => b.digest).sort(),
    "every blob of the image was read",
  );
}

/** Runs skopeo (with --insecure-policy, so no policy.json is needed) and returns its stdout. */
export async function runSkopeo(args: readonly string[]): Promise<Buffer> {
  return await new Promise((resolve, reject) => {
    execFile(
      "skopeo",
      ["--insecure-policy", ...args],
      { encoding: "buffer", timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`skopeo ${args.join(" ")}: ${stderr.toString()}`, { cause: error }));
        else resolve(stdout);
      },
    );
  });
}

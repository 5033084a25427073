/**
 * Generates a synthetic organisation for the organisation-scale sync benchmark (org-bench.ts):
 * `--repos` repositories (`org/app-0000`, ...) x `--tags` tags (`v1.0.0`, ...), each tag a
 * 2-platform OCI index whose platform manifests hold an organisation-wide base layer, a layer
 * shared by the repository's tags, and a small layer and config of their own.
 *
 *   node dist/bench/org-seed.js --out /tmp/org [--repos 2000] [--tags 25]
 *
 * Pushing 50,000 indexes over HTTP costs about a million requests, hours on a shared machine, so
 * the images are written straight into the two registries' storage directories, in the layout
 * each registry reads: `OUT/distribution` for docker-registry (its filesystem driver's paths,
 * https://github.com/distribution/distribution/blob/v2.8.2/registry/storage/paths.go) and
 * `OUT/serve` for `crossdock serve` (src/serve/storage.ts). The bytes are those
 * createSyntheticImage makes, so clients (skopeo) accept them as pushed images. Deterministic:
 * the same arguments give the same digests.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import type { BlobData, ManifestData } from "../src/oci/synthetic.js";
import { createLayer, createSyntheticImage } from "../src/oci/synthetic.js";
import { orgRepository, orgTag } from "./org-names.js";

/** Writes one blob's bytes and its links into both layouts (only once per digest and repository). */
interface Writer {
  blob(repository: string, blob: BlobData | ManifestData, isManifest: boolean): Promise<void>;
  tag(repository: string, tag: string, digest: string): Promise<void>;
}

function hexOf(digest: string): string {
  return digest.slice("sha256:".length);
}

async function put(file: string, content: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
}

function createWriter(out: string, prefix: string): Writer {
  const dist = path.join(out, "distribution", "docker", "registry", "v2");
  const serve = path.join(out, "serve");
  const stored = new Set<string>();
  return {
    async blob(repository, blob, isManifest) {
      const hex = hexOf(blob.digest);
      if (!stored.has(blob.digest)) {
        stored.add(blob.digest);
        await put(path.join(dist, "blobs", "sha256", hex.slice(0, 2), hex, "data"), blob.bytes);
        await put(path.join(serve, "blobs", "sha256", hex), blob.bytes);
      }
      const name = `${prefix}/${repository}`;
      const distRepo = path.join(dist, "repositories", ...name.split("/"));
      const serveRepo = path.join(serve, "repositories", ...name.split("/"));
      if (isManifest) {
        await put(path.join(distRepo, "_manifests", "revisions", "sha256", hex, "link"), blob.digest);
        const config = (JSON.parse(Buffer.from(blob.bytes).toString()) as { config?: { mediaType: string } })
          .config;
        const record = {
          digest: blob.digest,
          mediaType: blob.mediaType,
          size: blob.size,
          ...(config ? { artifactType: config.mediaType } : {}),
        };
        await put(path.join(serveRepo, "_manifests", "sha256", hex), JSON.stringify(record));
      } else {
        await put(path.join(distRepo, "_layers", "sha256", hex, "link"), blob.digest);
        await put(path.join(serveRepo, "_blobs", "sha256", hex), "");
      }
    },
    async tag(repository, tag, digest) {
      const name = `${prefix}/${repository}`;
      const tagDir = path.join(dist, "repositories", ...name.split("/"), "_manifests", "tags", tag);
      await put(path.join(tagDir, "current", "link"), digest);
      await put(path.join(tagDir, "index", "sha256", hexOf(digest), "link"), digest);
      await put(path.join(serve, "repositories", ...name.split("/"), "_tags", tag), digest);
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: "string" },
      repos: { type: "string", default: "2000" },
      tags: { type: "string", default: "25" },
      prefix: { type: "string", default: "org" },
    },
  });
  if (values.out === undefined) throw new Error("--out DIR is required");
  const repoCount = Number(values.repos);
  const tagCount = Number(values.tags);
  const writer = createWriter(values.out, values.prefix);
  const base = createLayer("org/base", 64 * 1024);
  const started = Date.now();
  for (let r = 0; r < repoCount; r++) {
    const repository = orgRepository(r);
    const repoLayer = createLayer(`org/${repository}`, 16 * 1024);
    for (let t = 0; t < tagCount; t++) {
      const image = createSyntheticImage({
        seed: `org/${repository}/${orgTag(t)}`,
        sharedLayers: [base, repoLayer],
        layerSizes: [512],
      });
      for (const blob of image.blobs) await writer.blob(repository, blob, false);
      for (const manifest of image.manifests) await writer.blob(repository, manifest, true);
      await writer.tag(repository, orgTag(t), image.root.digest);
    }
    if ((r + 1) % 100 === 0)
      console.error(`${r + 1}/${repoCount} repositories (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  console.error(`done: ${repoCount * tagCount} tags in ${values.out}`);
}

await main();

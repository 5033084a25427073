import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { sha256Digest } from "../../src/oci/digest.js";
import { createSyntheticImage, type SyntheticImage } from "../../src/oci/synthetic.js";
import type { DistributionRegistry } from "../helpers/distribution.js";
import { seedImage } from "../helpers/seed.js";
import { startServeRegistry } from "../helpers/serve.js";
import { skipUnless } from "../helpers/tools.js";

const run = promisify(execFile);
const skip = skipUnless("skopeo");

async function skopeo(...args: string[]): Promise<string> {
  const { stdout } = await run("skopeo", args, { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

async function rawManifest(registry: DistributionRegistry, ref: string): Promise<string> {
  return await skopeo("inspect", "--raw", "--tls-verify=false", `docker://${registry.host}/${ref}`);
}

let registry: DistributionRegistry;
let work: string;
let image: SyntheticImage;

before(async () => {
  registry = await startServeRegistry();
  work = await mkdtemp(path.join(os.tmpdir(), "crossdock-serve-skopeo-"));
  image = createSyntheticImage({ seed: "serve-skopeo", layerSizes: [2048, 70_000] });
  await seedImage(registry.url, "a", image, "1");
});

after(async () => {
  await registry.stop();
  await rm(work, { recursive: true, force: true });
});

test("skopeo copies a multi-arch image out of serve and back in, every digest kept", { skip }, async () => {
  const layout = path.join(work, "layout");
  await skopeo(
    "copy",
    "--all",
    "--preserve-digests",
    "--src-tls-verify=false",
    `docker://${registry.host}/a:1`,
    `oci:${layout}:1`,
  );
  await skopeo(
    "copy",
    "--all",
    "--preserve-digests",
    "--dest-tls-verify=false",
    `oci:${layout}:1`,
    `docker://${registry.host}/b:1`,
  );
  const index = await rawManifest(registry, "b:1");
  assert.equal(sha256Digest(Buffer.from(index)), image.root.digest);
  for (const child of image.manifests.filter((m) => m !== image.root)) {
    const raw = await rawManifest(registry, `b@${child.digest}`);
    assert.equal(sha256Digest(Buffer.from(raw)), child.digest);
  }
  const blob = image.blobs[image.blobs.length - 1]!;
  const response = await fetch(`${registry.url}/v2/b/blobs/${blob.digest}`);
  assert.equal(response.status, 200);
  assert.equal(sha256Digest(new Uint8Array(await response.arrayBuffer())), blob.digest);
});

test("skopeo pushes registry to registry within serve and pulls what it pushed byte for byte", {
  skip,
}, async () => {
  await skopeo(
    "copy",
    "--all",
    "--preserve-digests",
    "--src-tls-verify=false",
    "--dest-tls-verify=false",
    `docker://${registry.host}/a:1`,
    `docker://${registry.host}/nested/c:2`,
  );
  const raw = await rawManifest(registry, "nested/c:2");
  assert.equal(sha256Digest(Buffer.from(raw)), image.root.digest);
  const tags = await skopeo("list-tags", "--tls-verify=false", `docker://${registry.host}/nested/c`);
  assert.deepEqual(JSON.parse(tags).Tags, ["2"]);
  const inspect = JSON.parse(
    await skopeo(
      "inspect",
      "--tls-verify=false",
      "--override-arch",
      "arm64",
      `docker://${registry.host}/nested/c:2`,
    ),
  ) as { Architecture: string; Layers: string[] };
  assert.equal(inspect.Architecture, "arm64");
  assert.equal(inspect.Layers.length, 2);
  assert.ok(
    registry
      .accessLog()
      .some((e) => e.method === "PUT" && e.path === "/v2/nested/c/manifests/2" && e.status === 201),
  );
});

test("a Docker manifest list keeps its digests through skopeo too, and skopeo delete removes it", {
  skip,
}, async () => {
  const docker = createSyntheticImage({ seed: "serve-skopeo-docker", format: "docker" });
  await seedImage(registry.url, "d", docker, "1");
  await skopeo(
    "copy",
    "--all",
    "--preserve-digests",
    "--src-tls-verify=false",
    "--dest-tls-verify=false",
    `docker://${registry.host}/d:1`,
    `docker://${registry.host}/e:1`,
  );
  const response = await fetch(`${registry.url}/v2/e/manifests/1`);
  assert.equal(response.headers.get("content-type"), docker.root.mediaType);
  assert.equal(sha256Digest(new Uint8Array(await response.arrayBuffer())), docker.root.digest);
  await skopeo("delete", "--tls-verify=false", `docker://${registry.host}/e:1`);
  const gone = await fetch(`${registry.url}/v2/e/manifests/1`, { method: "HEAD" });
  assert.equal(gone.status, 404);
});

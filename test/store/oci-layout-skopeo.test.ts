import assert from "node:assert/strict";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { sha256Digest } from "../../src/oci/digest.js";
import { createSyntheticImage } from "../../src/oci/synthetic.js";
import { refNameAnnotation } from "../../src/store/layout-index.js";
import { openOciLayout } from "../../src/store/oci-layout.js";
import { startDistribution } from "../helpers/distribution.js";
import { seedImage } from "../helpers/seed.js";
import { skipUnless } from "../helpers/tools.js";
import { assertHoldsImage, makeTempDir, runSkopeo, writeImage } from "./layout-fixtures.js";

const multiArch = createSyntheticImage({ seed: "skopeo-layout-multi" });
const dockerSingle = createSyntheticImage({ seed: "skopeo-layout-docker", index: false, format: "docker" });

/**
 * skopeo (containers/image) looks tags up only among index.json entries of OCI media types, so a
 * Docker-media-type image is reached as the layout's only entry (`oci:DIR`, no tag): see
 * getManifestDescriptor in https://github.com/containers/image/blob/main/oci/layout/oci_transport.go
 */
test("skopeo reads layouts crossdock wrote and copies them with every digest kept", {
  skip: skipUnless("skopeo"),
}, async () => {
  const tmp = await makeTempDir();
  try {
    const dir = path.join(tmp, "mine");
    const repo = await openOciLayout(dir, { create: true });
    await writeImage(repo, multiArch, "multi");
    await repo.close();
    const dockerDir = path.join(tmp, "mine-docker");
    const dockerRepo = await openOciLayout(dockerDir, { create: true });
    await writeImage(dockerRepo, dockerSingle, "docker");
    await dockerRepo.close();
    assert.equal(
      sha256Digest(await runSkopeo(["inspect", "--raw", `oci:${dir}:multi`])),
      multiArch.root.digest,
    );
    assert.equal(
      sha256Digest(await runSkopeo(["inspect", "--raw", `oci:${dockerDir}`])),
      dockerSingle.root.digest,
    );
    const config = JSON.parse((await runSkopeo(["inspect", "--config", `oci:${dockerDir}`])).toString()) as {
      config?: { Labels?: Record<string, string> };
    };
    assert.equal(
      config.config?.Labels?.["crossdock.seed"],
      "skopeo-layout-docker",
      "skopeo read the config blob",
    );

    const copy = path.join(tmp, "copy");
    await runSkopeo([
      "copy",
      "--quiet",
      "--all",
      "--preserve-digests",
      `oci:${dir}:multi`,
      `oci:${copy}:multi`,
    ]);
    await runSkopeo([
      "copy",
      "--quiet",
      "--all",
      "--preserve-digests",
      `oci:${dockerDir}`,
      `oci:${copy}:docker`,
    ]);
    const copied = await openOciLayout(copy, { create: false });
    assert.deepEqual(await copied.listTags(), ["docker", "multi"]);
    await assertHoldsImage(copied, "multi", multiArch);
    await assertHoldsImage(copied, "docker", dockerSingle);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});

test("crossdock reads a layout skopeo wrote from a registry: the tag, the index, every child and blob", {
  skip: skipUnless("skopeo", "docker-registry"),
}, async () => {
  const tmp = await makeTempDir();
  const registry = await startDistribution();
  try {
    await seedImage(registry.url, "demo/multi", multiArch, "v1");
    await seedImage(registry.url, "demo/docker", dockerSingle, "v1");
    const dir = path.join(tmp, "from-registry");
    for (const [name, tag] of [
      ["multi", "m"],
      ["docker", "d"],
    ] as const) {
      await runSkopeo([
        "copy",
        "--quiet",
        "--all",
        "--preserve-digests",
        "--src-tls-verify=false",
        `docker://${registry.host}/demo/${name}:v1`,
        `oci:${dir}:${tag}`,
      ]);
    }
    const index = JSON.parse(await readFile(path.join(dir, "index.json"), "utf8")) as {
      manifests: { annotations?: Record<string, string> }[];
    };
    assert.deepEqual(index.manifests.map((d) => d.annotations?.[refNameAnnotation]).sort(), ["d", "m"]);
    const repo = await openOciLayout(dir, { create: false });
    assert.deepEqual(await repo.listTags(), ["d", "m"]);
    await assertHoldsImage(repo, "m", multiArch);
    await assertHoldsImage(repo, "d", dockerSingle);

    // And skopeo copies a layout crossdock wrote into that one (oci -> oci, tag "x").
    await runSkopeo(["copy", "--quiet", "--all", "--preserve-digests", `oci:${dir}:m`, `oci:${dir}:x`]);
    await assertHoldsImage(await openOciLayout(dir, { create: false }), "x", multiArch);
  } finally {
    await registry.stop();
    await rm(tmp, { recursive: true, force: true });
  }
});

import assert from "node:assert/strict";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { UsageError } from "../../src/errors.js";
import { sha256Digest } from "../../src/oci/digest.js";
import { createSyntheticImage } from "../../src/oci/synthetic.js";
import { OciLayoutError } from "../../src/store/layout-errors.js";
import { openOciArchive } from "../../src/store/oci-archive.js";
import { openOciLayout } from "../../src/store/oci-layout.js";
import { skipUnless } from "../helpers/tools.js";
import { assertHoldsImage, makeTempDir, runSkopeo, writeImage } from "./layout-fixtures.js";

const multiArch = createSyntheticImage({ seed: "archive-multi" });
const dockerSingle = createSyntheticImage({ seed: "archive-docker", index: false, format: "docker" });

test("openOciArchive refuses what is not an archive and writes nothing when nothing changed", async () => {
  const tmp = await makeTempDir();
  try {
    const unpackDir = path.join(tmp, "unpack");
    await mkdir(unpackDir);
    const options = { create: false, tempDir: unpackDir };
    await assert.rejects(openOciArchive(path.join(tmp, "absent.tar"), options), UsageError);
    await assert.rejects(openOciArchive(tmp, { ...options, create: true }), UsageError);
    await assert.rejects(
      openOciArchive(path.join(tmp, "no-such-dir", "a.tar"), { ...options, create: true }),
      UsageError,
    );
    await writeFile(path.join(tmp, "junk.tar"), "this is not a tar archive at all".repeat(40));
    await assert.rejects(openOciArchive(path.join(tmp, "junk.tar"), options), UsageError);
    assert.deepEqual(await readdir(unpackDir), [], "a refused archive leaves no unpacked copy");

    const fresh = path.join(tmp, "fresh.tar");
    const archive = await openOciArchive(fresh, { ...options, create: true });
    assert.equal(archive.location, `oci-archive:${fresh}`);
    assert.equal(archive.storageKey, `oci-archive:${fresh}`);
    assert.deepEqual(await archive.listTags(), []);
    await archive.close();
    await archive.close();
    await assert.rejects(
      archive.listTags(),
      (e) => e instanceof OciLayoutError && e.code === "LAYOUT_CLOSED",
    );
    assert.deepEqual(await readdir(tmp), ["junk.tar", "unpack"], "no archive written for an unchanged store");
    assert.deepEqual(await readdir(unpackDir), []);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});

test("skopeo reads an archive crossdock wrote, with every digest kept", {
  skip: skipUnless("skopeo"),
}, async () => {
  const tmp = await makeTempDir();
  try {
    const unpackDir = path.join(tmp, "unpack");
    await mkdir(unpackDir);
    const file = path.join(tmp, "mine.tar");
    const archive = await openOciArchive(file, { create: true, tempDir: unpackDir });
    await writeImage(archive, multiArch, "multi");
    await archive.close();
    assert.deepEqual(await readdir(unpackDir), [], "the unpacked copy is removed");
    assert.deepEqual((await readdir(tmp)).sort(), ["mine.tar", "unpack"], "no temporary archive left");
    // The Docker-media-type image alone in its archive: skopeo finds tags only among OCI-typed entries.
    const dockerFile = path.join(tmp, "docker.tar");
    const dockerArchive = await openOciArchive(dockerFile, { create: true, tempDir: unpackDir });
    await writeImage(dockerArchive, dockerSingle, "docker");
    await dockerArchive.close();

    assert.equal(
      sha256Digest(await runSkopeo(["inspect", "--raw", `oci-archive:${file}:multi`])),
      multiArch.root.digest,
    );
    assert.equal(
      sha256Digest(await runSkopeo(["inspect", "--raw", `oci-archive:${dockerFile}`])),
      dockerSingle.root.digest,
    );
    const copy = path.join(tmp, "copy");
    await runSkopeo([
      "copy",
      "--quiet",
      "--all",
      "--preserve-digests",
      `oci-archive:${file}:multi`,
      `oci:${copy}:multi`,
    ]);
    await runSkopeo([
      "copy",
      "--quiet",
      "--all",
      "--preserve-digests",
      `oci-archive:${dockerFile}`,
      `oci:${copy}:docker`,
    ]);
    const copied = await openOciLayout(copy, { create: false });
    await assertHoldsImage(copied, "multi", multiArch);
    await assertHoldsImage(copied, "docker", dockerSingle);

    const reopened = await openOciArchive(file, { create: false, tempDir: unpackDir });
    await assertHoldsImage(reopened, "multi", multiArch);
    await reopened.close();
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});

test("crossdock reads and extends an archive skopeo wrote", { skip: skipUnless("skopeo") }, async () => {
  const tmp = await makeTempDir();
  try {
    const unpackDir = path.join(tmp, "unpack");
    await mkdir(unpackDir);
    const layoutDir = path.join(tmp, "layout");
    await writeImage(await openOciLayout(layoutDir, { create: true }), multiArch, "multi");
    const file = path.join(tmp, "skopeo.tar");
    await runSkopeo([
      "copy",
      "--quiet",
      "--all",
      "--preserve-digests",
      `oci:${layoutDir}:multi`,
      `oci-archive:${file}:x`,
    ]);
    const written = await readFile(file);

    const reader = await openOciArchive(file, { create: false, tempDir: unpackDir });
    assert.deepEqual(await reader.listTags(), ["x"]);
    await assertHoldsImage(reader, "x", multiArch);
    await reader.close();
    assert.deepEqual(await readFile(file), written, "reading leaves the archive as it was");

    const writer = await openOciArchive(file, { create: false, tempDir: unpackDir });
    await writeImage(writer, dockerSingle, "d");
    await writer.close();
    assert.deepEqual(await readdir(unpackDir), []);
    assert.equal(
      sha256Digest(await runSkopeo(["inspect", "--raw", `oci-archive:${file}:x`])),
      multiArch.root.digest,
    );
    const again = await openOciArchive(file, { create: false, tempDir: unpackDir });
    assert.deepEqual(await again.listTags(), ["d", "x"]);
    await assertHoldsImage(again, "x", multiArch);
    await assertHoldsImage(again, "d", dockerSingle);
    await again.close();
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});

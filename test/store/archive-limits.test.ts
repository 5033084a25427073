/** Hostile oci-archive: inputs: bombs, too many entries, paths that leave, and a copy whose other side fails. */
import assert from "node:assert/strict";
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { create } from "tar";
import { UsageError } from "../../src/errors.js";
import { createSyntheticImage } from "../../src/oci/synthetic.js";
import { openOciArchive } from "../../src/store/oci-archive.js";
import { defaultUnpackLimits } from "../../src/store/unpack-archive.js";
import { runCli } from "../helpers/run-cli.js";
import { makeTempDir, writeImage } from "./layout-fixtures.js";

const layoutFile = `{"imageLayoutVersion":"1.0.0"}`;
const emptyIndex = `{"schemaVersion":2,"manifests":[]}`;

/** Packs a directory of `files` (path to bytes) into `tarFile`, gzip-compressed when it ends in .gz. */
async function packFiles(tarFile: string, files: Record<string, Uint8Array | string>): Promise<void> {
  const src = `${tarFile}.src`;
  for (const [name, bytes] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(src, name)), { recursive: true });
    await writeFile(path.join(src, name), bytes);
  }
  await create(
    { file: tarFile, cwd: src, gzip: tarFile.endsWith(".gz"), portable: true },
    Object.keys(files),
  );
  await rm(src, { recursive: true });
}

function isUsage(code: string, pattern: RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof UsageError, String(error));
    assert.equal(error.code, code, error.message);
    assert.match(error.message, pattern);
    return true;
  };
}

test("a gzip bomb in an oci-archive: is exit 2 with the reason, and nothing is left behind", async () => {
  const tmp = await makeTempDir();
  try {
    const unpack = path.join(tmp, "unpack");
    await mkdir(unpack);
    const bomb = path.join(tmp, "bomb.tar.gz");
    // 16 MiB of zeros gzip to about 16 KiB: a thousand times, ten times over the limit.
    await packFiles(bomb, {
      "oci-layout": layoutFile,
      "index.json": emptyIndex,
      [`blobs/sha256/${"0".repeat(64)}`]: Buffer.alloc(16 * 1024 * 1024),
    });
    const out = path.join(tmp, "out");
    const run = await runCli(["copy", "--quiet", `oci-archive:${bomb}:v1`, `oci:${out}:v1`], {
      env: { TMPDIR: unpack },
    });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /bomb\.tar\.gz: refusing to unpack: it expands to more than 100 times/);
    assert.doesNotMatch(run.stderr, /ENOTEMPTY|at .*\.js:\d+/, "the real reason, no stack");
    assert.deepEqual(await readdir(unpack), [], "no partial unpack");
    assert.deepEqual((await readdir(tmp)).sort(), ["bomb.tar.gz", "unpack"], "no target created");
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});

test("unpack limits on entries and bytes, and entries that leave the archive, are refused whole", async () => {
  const tmp = await makeTempDir();
  try {
    const unpack = path.join(tmp, "unpack");
    await mkdir(unpack);
    const many: Record<string, string> = { "oci-layout": layoutFile, "index.json": emptyIndex };
    for (let i = 0; i < 40; i++) many[`extra/f${i}`] = "x";
    const manyFile = path.join(tmp, "many.tar");
    await packFiles(manyFile, many);
    const limits = { ...defaultUnpackLimits, maxEntries: 20 };
    await assert.rejects(
      openOciArchive(manyFile, { create: false, tempDir: unpack, limits }),
      isUsage("ARCHIVE_TOO_LARGE", /more than 20 entries/),
    );
    // The same archive within the default limits opens.
    const fine = await openOciArchive(manyFile, { create: false, tempDir: unpack });
    await fine.close();

    const big = path.join(tmp, "big.tar");
    await packFiles(big, { "oci-layout": layoutFile, "index.json": emptyIndex, blob: "y".repeat(5000) });
    await assert.rejects(
      openOciArchive(big, {
        create: false,
        tempDir: unpack,
        limits: { ...defaultUnpackLimits, maxBytes: 4096 },
      }),
      isUsage("ARCHIVE_TOO_LARGE", /more than 4096 bytes/),
    );

    const evil = path.join(tmp, "evil.tar");
    await mkdir(path.join(tmp, "inner"));
    await writeFile(path.join(tmp, "outside"), "planted");
    await create({ file: evil, cwd: path.join(tmp, "inner"), preservePaths: true }, ["../outside"]);
    await assert.rejects(
      openOciArchive(evil, { create: false, tempDir: unpack }),
      isUsage("NOT_AN_ARCHIVE", /outside the archive/),
    );
    assert.deepEqual(await readdir(unpack), [], "every refused archive leaves no unpacked copy");
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});

test("a copy out of an archive whose target cannot be opened leaves no unpacked archive", async () => {
  const tmp = await makeTempDir();
  try {
    const unpack = path.join(tmp, "unpack");
    await mkdir(unpack);
    const file = path.join(tmp, "good.tar");
    const archive = await openOciArchive(file, { create: true, tempDir: unpack });
    await writeImage(archive, createSyntheticImage({ seed: "archive-limits", index: false }), "v1");
    await archive.close();
    const occupied = path.join(tmp, "occupied");
    await mkdir(occupied);
    await writeFile(path.join(occupied, "notes.txt"), "not a layout");
    const run = await runCli(["copy", "--quiet", `oci-archive:${file}:v1`, `oci:${occupied}:v1`], {
      env: { TMPDIR: unpack },
    });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /neither an OCI layout nor empty/);
    assert.deepEqual(await readdir(unpack), [], "the source's unpacked copy is removed");
    assert.deepEqual(await readdir(occupied), ["notes.txt"]);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});

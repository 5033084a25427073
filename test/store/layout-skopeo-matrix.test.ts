/**
 * OCI layouts and archives every client reads: crossdock writes each kind (single image, index;
 * OCI media types, or Docker's converted with `--format oci`) into a layout and an archive, and
 * skopeo reads it by tag and copies all of it; skopeo writes layouts and archives, and crossdock
 * reads them by tag and by digest. crossdock runs as the CLI, as a user runs it.
 */

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { sha256Digest } from "../../src/oci/digest.js";
import { MediaType } from "../../src/oci/media-types.js";
import { createSyntheticImage, type SyntheticImage } from "../../src/oci/synthetic.js";
import { digestReference, tagReference } from "../../src/reference/manifest-reference.js";
import { openOciLayout } from "../../src/store/oci-layout.js";
import { cliPath } from "../helpers/paths.js";
import { skipUnless } from "../helpers/tools.js";
import { assertHoldsImage, makeTempDir, runSkopeo, writeImage } from "./layout-fixtures.js";

const run = promisify(execFile);

interface CopyJson {
  readonly digest: string;
  readonly mediaType: string;
  readonly warnings: readonly string[];
  readonly converted?: { readonly from: string; readonly to: string };
}

/** `crossdock copy --json ...`, parsed. */
async function crossdockCopy(...args: string[]): Promise<CopyJson> {
  const { stdout } = await run(process.execPath, [cliPath, "copy", "--json", "--quiet", ...args]);
  return JSON.parse(stdout) as CopyJson;
}

const images: ReadonlyArray<{ name: string; image: SyntheticImage; docker: boolean }> = [
  {
    name: "an OCI image",
    image: createSyntheticImage({ seed: "matrix-single", index: false }),
    docker: false,
  },
  { name: "an OCI index", image: createSyntheticImage({ seed: "matrix-index" }), docker: false },
  {
    name: "a Docker image, --format oci",
    image: createSyntheticImage({ seed: "matrix-docker-single", index: false, format: "docker" }),
    docker: true,
  },
  {
    name: "a Docker manifest list, --format oci",
    image: createSyntheticImage({ seed: "matrix-docker-list", format: "docker" }),
    docker: true,
  },
];
const kinds = ["oci", "oci-archive"] as const;
/** Where a kind's store goes under `dir`: archives are one file. */
const storePath = (kind: (typeof kinds)[number], dir: string, name: string): string =>
  path.join(dir, kind === "oci" ? name : `${name}.tar`);

describe("layouts and archives, crossdock and skopeo", { skip: skipUnless("skopeo") }, () => {
  let tmp: string;
  /** A layout holding every image under its own tag: the source of crossdock's copies. */
  let source: string;

  before(async () => {
    tmp = await makeTempDir();
    source = path.join(tmp, "source");
    const repo = await openOciLayout(source, { create: true });
    for (const [i, { image }] of images.entries()) await writeImage(repo, image, `i${i}`);
    await repo.close();
  });
  after(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  for (const kind of kinds)
    for (const [i, { name, image, docker }] of images.entries()) {
      test(`skopeo reads ${name} that crossdock wrote into ${kind}:, by tag, and copies all of it`, async () => {
        const target = storePath(kind, tmp, `a-${kind}-${i}`);
        const result = await crossdockCopy(
          ...(docker ? ["--format", "oci"] : []),
          `oci:${source}:i${i}`,
          `${kind}:${target}:v1`,
        );
        if (docker) {
          assert.equal(result.converted?.from, image.root.digest);
          assert.notEqual(result.digest, image.root.digest, "a conversion changes the digest");
          assert.match(result.warnings.join("\n"), /digest changes/);
        } else {
          assert.equal(result.digest, image.root.digest);
          assert.equal(result.converted, undefined);
        }
        const raw = await runSkopeo(["inspect", "--raw", `${kind}:${target}:v1`]);
        assert.equal(sha256Digest(raw), result.digest);
        assert.match(
          String((JSON.parse(raw.toString()) as { mediaType?: string }).mediaType),
          /^application\/vnd\.oci\./,
        );
        const back = path.join(tmp, `a-back-${kind}-${i}`);
        await runSkopeo([
          "copy",
          "--quiet",
          "--all",
          "--preserve-digests",
          `${kind}:${target}:v1`,
          `oci:${back}:v1`,
        ]);
        const copied = await openOciLayout(back, { create: false });
        assert.equal((await copied.headManifest(tagReference("v1")))?.digest, result.digest);
        assert.equal((await copied.headManifest(digestReference(result.digest)))?.digest, result.digest);
      });
    }

  for (const kind of kinds)
    test(`skopeo reads what crossdock copied by digest into ${kind}:, listed untagged in index.json`, async () => {
      for (const [i, { image, docker }] of images.entries()) {
        if (docker) continue;
        const target = storePath(kind, tmp, `digest-${kind}-${i}`);
        const result = await crossdockCopy(`oci:${source}@${image.root.digest}`, `${kind}:${target}`);
        assert.equal(result.digest, image.root.digest);
        // The only entry, so `oci:DIR` with no tag names it.
        const raw = await runSkopeo(["inspect", "--raw", `${kind}:${target}`]);
        assert.equal(sha256Digest(raw), image.root.digest);
        // Copied again: still one entry.
        await crossdockCopy(`oci:${source}@${image.root.digest}`, `${kind}:${target}`);
        assert.equal(
          sha256Digest(await runSkopeo(["inspect", "--raw", `${kind}:${target}`])),
          image.root.digest,
        );
      }
    });

  test("a Docker manifest list written byte for byte keeps its digest and says which readers skip it", async () => {
    const docker = images.findIndex((i) => i.image.root.mediaType === MediaType.dockerManifestList);
    const target = path.join(tmp, "docker-as-is");
    const result = await crossdockCopy(`oci:${source}:i${docker}`, `oci:${target}:v1`);
    assert.equal(result.digest, images[docker]!.image.root.digest);
    assert.equal(result.mediaType, MediaType.dockerManifestList);
    assert.match(
      result.warnings.join("\n"),
      /Docker media types.*no descriptor found for reference.*--format oci/s,
    );
    await assertHoldsImage(await openOciLayout(target, { create: false }), "v1", images[docker]!.image);
  });

  test("sync --format oci converts a Docker manifest list into layouts skopeo reads, and a rerun changes nothing", async () => {
    const list = images.find((i) => i.image.root.mediaType === MediaType.dockerManifestList)!.image;
    const from = path.join(tmp, "sync-from");
    const repo = await openOciLayout(path.join(from, "app"), { create: true });
    await writeImage(repo, list, "v1");
    await repo.close();
    const to = path.join(tmp, "sync-to");
    const resultFile = path.join(tmp, "sync-result.json");
    const sync = async () => {
      const args = [
        "sync",
        "--json",
        "--quiet",
        "--format",
        "oci",
        "--from",
        `oci:${from}`,
        "--repos",
        "app",
        "--result-out",
        resultFile,
      ];
      const { stdout } = await run(process.execPath, [cliPath, ...args, "--to", `oci:${to}`]);
      return (
        JSON.parse(stdout) as {
          entries: Array<{ status: string; digest: string; convertedFrom?: string; warnings?: string[] }>;
        }
      ).entries;
    };
    const [first] = await sync();
    assert.equal(first?.status, "copied");
    assert.notEqual(first?.digest, list.root.digest);
    assert.equal(first?.convertedFrom, list.root.digest);
    assert.match(first?.warnings?.join("\n") ?? "", /digest changes/);
    // The conversion is recorded in the lock, beside the digest it changed.
    const lockFile = path.join(tmp, "sync-converted.lock");
    await run(process.execPath, [
      cliPath,
      "lock",
      "merge",
      resultFile,
      "--lock",
      lockFile,
      "--report",
      `${lockFile}.md`,
    ]);
    const lock = await readFile(lockFile, "utf8");
    assert.match(lock, new RegExp(`digest: ${first?.digest}`));
    assert.match(lock, new RegExp(`convertedFrom: ${list.root.digest}`));
    const raw = await runSkopeo(["inspect", "--raw", `oci:${path.join(to, "app")}:v1`]);
    assert.equal(sha256Digest(raw), first?.digest);
    const [second] = await sync();
    assert.equal(second?.status, "in-sync");
    assert.equal(second?.digest, first?.digest);

    // Without --format oci: byte for byte, with the note.
    const args = ["sync", "--json", "--quiet", "--from", `oci:${from}`, "--repos", "app"];
    const { stdout } = await run(process.execPath, [cliPath, ...args, "--to", `oci:${to}-as-is`]);
    const [asIs] = (JSON.parse(stdout) as { entries: Array<{ digest: string; warnings?: string[] }> })
      .entries;
    assert.equal(asIs?.digest, list.root.digest);
    assert.match(asIs?.warnings?.join("\n") ?? "", /Docker media types.*--format oci/s);
  });

  for (const kind of kinds)
    for (const [i, { name, image, docker }] of images.entries()) {
      if (docker) continue;
      test(`crossdock reads ${name} that skopeo wrote into ${kind}:, by tag and by digest`, async () => {
        const written = storePath(kind, tmp, `b-${kind}-${i}`);
        await runSkopeo([
          "copy",
          "--quiet",
          "--all",
          "--preserve-digests",
          `oci:${source}:i${i}`,
          `${kind}:${written}:v1`,
        ]);
        for (const reference of [":v1", `@${image.root.digest}`]) {
          const out = path.join(tmp, `b-out-${kind}-${i}-${reference.startsWith("@") ? "digest" : "tag"}`);
          const result = await crossdockCopy(`${kind}:${written}${reference}`, `oci:${out}:copied`);
          assert.equal(result.digest, image.root.digest, reference);
          await assertHoldsImage(await openOciLayout(out, { create: false }), "copied", image);
        }
      });
    }
});

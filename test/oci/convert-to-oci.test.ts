import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { convertToOci } from "../../src/oci/convert-to-oci.js";
import { sha256Digest } from "../../src/oci/digest.js";
import { MediaType } from "../../src/oci/media-types.js";
import { createSyntheticImage } from "../../src/oci/synthetic.js";

interface Blob {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
}
interface Document {
  readonly mediaType: string;
  readonly config: Blob;
  readonly layers: Blob[];
  readonly manifests: Blob[];
}

const parse = (bytes: Uint8Array) => JSON.parse(Buffer.from(bytes).toString("utf8")) as Document;

describe("convertToOci", () => {
  it("renames a Docker manifest's own, config and layer media types, and nothing else", () => {
    const image = createSyntheticImage({ seed: "convert-single", index: false, format: "docker" });
    const converted = convertToOci(image.root.bytes);
    assert.ok(converted !== undefined);
    assert.equal(converted.mediaType, MediaType.ociManifest);
    assert.equal(converted.digest, sha256Digest(converted.bytes));
    const before = parse(image.root.bytes);
    const after = parse(converted.bytes);
    assert.equal(after.mediaType, MediaType.ociManifest);
    assert.equal(after.config.mediaType, MediaType.ociConfig);
    assert.deepEqual(
      after.layers.map((l) => l.mediaType),
      before.layers.map(() => MediaType.ociLayerGzip),
    );
    // Same blobs: digests and sizes are untouched.
    assert.deepEqual(
      after.layers.map((l) => [l.digest, l.size]),
      before.layers.map((l) => [l.digest, l.size]),
    );
    assert.equal(after.config.digest, before.config.digest);
  });

  it("points a converted list at its children's new digests", () => {
    const image = createSyntheticImage({ seed: "convert-list", format: "docker" });
    const children = new Map(
      image.manifests
        .filter((m) => m !== image.root)
        .map((m) => {
          const child = convertToOci(m.bytes)!;
          return [m.digest, { mediaType: child.mediaType, digest: child.digest, size: child.bytes.length }];
        }),
    );
    const converted = convertToOci(image.root.bytes, children);
    assert.equal(converted?.mediaType, MediaType.ociIndex);
    const { manifests } = parse(converted!.bytes);
    assert.deepEqual(
      manifests.map((m) => m.digest),
      [...children.values()].map((c) => c.digest),
    );
    assert.ok(manifests.every((m) => m.mediaType === MediaType.ociManifest));
  });

  it("leaves an OCI manifest alone, so its digest stays", () => {
    const image = createSyntheticImage({ seed: "convert-oci" });
    for (const manifest of image.manifests) assert.equal(convertToOci(manifest.bytes), undefined);
  });
});

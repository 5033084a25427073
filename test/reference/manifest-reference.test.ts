/** Tag or digest: the one place that decides it, and the texts it writes back. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  digestReference,
  formatManifestReference,
  manifestReferenceOf,
  parseManifestReference,
  qualifyManifestReference,
  tagReference,
} from "../../src/reference/manifest-reference.js";
import { parseReference } from "../../src/reference/reference.js";

const digest = `sha256:${"a".repeat(64)}`;

describe("ManifestReference", () => {
  const cases = [
    { text: "v1", expected: tagReference("v1"), qualified: "ghcr.io/o/app:v1" },
    { text: "1.2.3-rc.1_b", expected: tagReference("1.2.3-rc.1_b"), qualified: "ghcr.io/o/app:1.2.3-rc.1_b" },
    { text: digest, expected: digestReference(digest), qualified: `ghcr.io/o/app@${digest}` },
    // A digest of another algorithm is still a digest: the colon decides, the store validates.
    { text: "sha512:abc", expected: digestReference("sha512:abc"), qualified: "ghcr.io/o/app@sha512:abc" },
  ];
  for (const { text, expected, qualified } of cases) {
    it(`reads ${text} and writes it back`, () => {
      const reference = parseManifestReference(text);
      assert.deepEqual(reference, expected);
      assert.equal(formatManifestReference(reference), text);
      assert.equal(qualifyManifestReference("ghcr.io/o/app", reference), qualified);
    });
  }

  it("takes a parsed reference's digest over its tag, and latest when it has neither", () => {
    assert.deepEqual(
      manifestReferenceOf(parseReference(`ghcr.io/o/app:v1@${digest}`)),
      digestReference(digest),
    );
    assert.deepEqual(manifestReferenceOf(parseReference("ghcr.io/o/app:v1")), tagReference("v1"));
    assert.deepEqual(manifestReferenceOf(parseReference("ghcr.io/o/app")), tagReference("latest"));
  });
});

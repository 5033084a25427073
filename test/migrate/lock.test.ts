import assert from "node:assert/strict";
import { test } from "node:test";
import { UsageError } from "../../src/errors.js";
import { formatLock, parseLock } from "../../src/migrate/lock.js";

const entry = (extra: string): string =>
  [
    "version: 1",
    "images:",
    "  - source: docker.io/kindest/node:v1.30",
    "    target: ghcr.io/o/r/mirror/kindest/node:v1.30",
    "    digest: sha256:1111111111111111111111111111111111111111111111111111111111111111",
    "    mediaType: application/vnd.oci.image.manifest.v1+json",
    "    platforms: [linux/amd64]",
    extra,
    "rewrites: []",
    "",
  ].join("\n");

test("a lock records owner and usage, and reads back what it wrote", () => {
  const lock = parseLock(entry("    owner: third-party\n    usage: example"), "crossdock.lock");
  assert.deepEqual(
    { owner: lock.images[0]?.owner, usage: lock.images[0]?.usage },
    { owner: "third-party", usage: "example" },
  );
  assert.deepEqual(parseLock(formatLock(lock), "crossdock.lock"), lock);
});

test("a lock from before the two axes reads: category example is a third-party image used in examples", () => {
  const cases: Array<[string, { owner: string; usage?: string }]> = [
    ["own", { owner: "own" }],
    ["third-party", { owner: "third-party" }],
    ["example", { owner: "third-party", usage: "example" }],
  ];
  for (const [category, want] of cases) {
    const image = parseLock(entry(`    category: ${category}`), "crossdock.lock").images[0];
    assert.deepEqual({ owner: image?.owner, usage: image?.usage }, { usage: undefined, ...want }, category);
    assert.equal(image && "category" in image, false);
  }
  assert.throws(
    () => parseLock(entry("    category: mine"), "crossdock.lock"),
    (error: unknown) => error instanceof UsageError && /images\[0\]\.owner is missing/.test(error.message),
  );
});

import assert from "node:assert/strict";
import { test } from "node:test";
import { mergeSyncResults } from "../../src/migrate/merge-results.js";
import type { SyncResult } from "../../src/migrate/sync-result.js";

const image = (tag: string, digest: string, platforms: string[] = []) => ({
  source: `docker.io/org/app:${tag}`,
  target: `ghcr.io/org/app:${tag}`,
  digest,
  mediaType: "application/vnd.oci.image.index.v1+json",
  platforms,
  status: platforms.length > 0 ? ("copied" as const) : ("in-sync" as const),
});
const tag = (t: string) => ({ source: `docker.io/org/app:${t}`, target: `ghcr.io/org/app:${t}` });
const result = (index: number, fields: Partial<SyncResult>): SyncResult => ({
  version: 1,
  shard: { index, count: 3 },
  plan: "sha256:plan",
  interrupted: false,
  images: [],
  pending: [],
  failed: [],
  ...fields,
});

test("a rerun's result finishes what the first left pending; a missing shard is named", () => {
  const merged = mergeSyncResults([
    {
      file: "0.json",
      result: result(0, { images: [image("v1", "sha256:1", ["linux/amd64"])], pending: [tag("v2")] }),
    },
    { file: "0-rerun.json", result: result(0, { images: [image("v2", "sha256:2", ["linux/arm64"])] }) },
    {
      file: "2.json",
      result: result(2, { pending: [tag("v3")], failed: [{ ...tag("v4"), error: "gone" }] }),
    },
  ]);
  assert.deepEqual(
    merged.lock.images.map((i) => [i.source, i.digest, i.owner]),
    [
      ["docker.io/org/app:v1", "sha256:1", "own"],
      ["docker.io/org/app:v2", "sha256:2", "own"],
    ],
  );
  assert.deepEqual(merged.pending, [tag("v3")]);
  assert.equal(merged.failed.length, 1);
  assert.deepEqual(merged.missingShards, [1]);
  assert.equal(merged.complete, false);
});

test("an existing lock keeps its owner, usage and, for the same digest, the platforms an in-sync image lacks", () => {
  const previous = {
    version: 1 as const,
    images: [
      {
        ...image("v1", "sha256:1", ["linux/amd64"]),
        owner: "third-party" as const,
        usage: "example" as const,
      },
    ].map(({ status: _status, ...rest }) => rest),
    rewrites: [],
  };
  const merged = mergeSyncResults(
    [
      {
        file: "all.json",
        result: { ...result(0, { images: [image("v1", "sha256:1")] }), shard: { index: 0, count: 1 } },
      },
    ],
    previous,
  );
  assert.deepEqual(merged.lock.images[0]?.platforms, ["linux/amd64"]);
  assert.equal(merged.lock.images[0]?.owner, "third-party");
  assert.equal(merged.lock.images[0]?.usage, "example");
  assert.equal(merged.complete, true);
});

test("two results that finished one tag with different digests are not one run: a UsageError", () => {
  assert.throws(
    () =>
      mergeSyncResults([
        { file: "a.json", result: result(0, { images: [image("v1", "sha256:1")] }) },
        { file: "b.json", result: result(1, { images: [image("v1", "sha256:9")] }) },
      ]),
    /docker.io\/org\/app:v1: a.json recorded sha256:1, b.json recorded sha256:9/,
  );
});

import assert from "node:assert/strict";
import { test } from "node:test";
import { selectTags, type TagPolicy } from "../../src/copy/tag-filter.js";
import { UsageError } from "../../src/errors.js";

const tags = [
  "latest",
  "v0.14.0",
  "v0.15.0",
  "v0.15.1",
  "v0.16.0-rc.1",
  "v0.16.0",
  "v0.17.0",
  "v1.0.0",
  "dev-abc123",
  `sha256-${"a".repeat(64)}.sig`,
  `sha256-${"b".repeat(64)}`,
];

const cases: Array<{ name: string; policy: TagPolicy; want: string[] }> = [
  { name: "no policy keeps all but attachment tags, in listed order", policy: {}, want: tags.slice(0, 9) },
  { name: "include is anchored (v0.1 matches nothing whole)", policy: { include: "v0\\.1" }, want: [] },
  { name: "include a family", policy: { include: "v0\\.15\\..*" }, want: ["v0.15.0", "v0.15.1"] },
  {
    name: "exclude release candidates",
    policy: { include: "v.*", exclude: ".*-rc\\..*" },
    want: ["v0.14.0", "v0.15.0", "v0.15.1", "v0.16.0", "v0.17.0", "v1.0.0"],
  },
  {
    name: "semver range, newest first, no prereleases",
    policy: { semver: ">=0.15.0 <1.0.0" },
    want: ["v0.17.0", "v0.16.0", "v0.15.1", "v0.15.0"],
  },
  { name: "latest N versions", policy: { latest: 2 }, want: ["v1.0.0", "v0.17.0"] },
  { name: "semver and latest together", policy: { semver: "^0.15.0", latest: 1 }, want: ["v0.15.1"] },
  {
    name: "attachment tags kept on request",
    policy: { include: "sha256-.*", keepAttachmentTags: true },
    want: tags.slice(9),
  },
];

for (const c of cases) {
  test(`selectTags: ${c.name}`, () => {
    assert.deepEqual(selectTags(tags, c.policy), c.want);
  });
}

test("selectTags refuses a bad regular expression or range as usage errors", () => {
  assert.throws(() => selectTags(tags, { include: "(" }), UsageError);
  assert.throws(() => selectTags(tags, { exclude: "[" }), UsageError);
  assert.throws(() => selectTags(tags, { semver: "not a range" }), UsageError);
  assert.throws(() => selectTags(tags, { latest: 0 }), UsageError);
});

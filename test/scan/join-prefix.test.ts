import assert from "node:assert/strict";
import path from "node:path";
import { it } from "node:test";
import fc from "fast-check";
import { joinPrefix } from "../../src/scan/join-prefix.js";

it("joinPrefix(dir) + file is path.join(dir, file) for walked paths (property)", () => {
  const dir = fc.oneof(
    fc.constantFrom("", ".", "./", "/", "//", "a", "a/", "a//b", "../x", "/tmp/../y", "a/./b", "~", "a b/c"),
    fc.array(fc.constantFrom("a", "b.c", "..", ".", "", "d e"), { maxLength: 5 }).map((p) => p.join("/")),
  );
  // What the walk lists: names joined by '/', never '.' or '..'.
  const file = fc
    .array(
      fc.stringMatching(/^[A-Za-z0-9 ._-]{1,8}$/).filter((n) => n !== "." && n !== ".."),
      {
        minLength: 1,
        maxLength: 4,
      },
    )
    .map((p) => p.join("/"));
  fc.assert(
    fc.property(dir, file, (d, f) => {
      assert.equal(joinPrefix(d) + f, path.join(d, f));
    }),
    { numRuns: 2000 },
  );
});

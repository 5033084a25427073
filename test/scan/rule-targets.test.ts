import assert from "node:assert/strict";
import { test } from "node:test";
import { parseMappingRule } from "../../src/reference/mapping.js";
import { scanText } from "../../src/scan/scan-text.js";

const rules = [parseMappingRule("registry.internal:5000/team=mirror.internal:5000/org/team")];

test("in prose, references under a rule's target are found too (verify reads the rewritten files)", () => {
  const text =
    "Pull mirror.internal:5000/org/team/api:v2 first; old docs said registry.internal:5000/team/api:v1.\n";
  const found = scanText("notes.md", text, { rules }).references;
  assert.deepEqual(
    found.map((o) => [o.kind, o.text]),
    [
      ["complete", "mirror.internal:5000/org/team/api:v2"],
      ["complete", "registry.internal:5000/team/api:v1"],
    ],
  );
});

test("a rule's bare prefix is a prefix on either side of the move, not an image", () => {
  for (const prefix of ["registry.internal:5000/team", "mirror.internal:5000/org/team"]) {
    const found = scanText("notes.md", `Set REGISTRY=${prefix} before make.\n`, { rules }).references;
    assert.deepEqual(
      found.map((o) => [o.kind, o.text]),
      [["prefix", prefix]],
      prefix,
    );
  }
});

test("without rules, the same unknown hosts in prose are not references", () => {
  const text = "Pull mirror.internal:5000/org/team/api:v2 first.\n";
  assert.deepEqual(scanText("notes.md", text, {}).references, []);
});

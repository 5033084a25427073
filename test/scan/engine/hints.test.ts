import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parseMappingRule } from "../../../src/reference/mapping.js";
import { HintIndex, mayHoldReference } from "../../../src/scan/engine/hints.js";
import type { ExtractContext } from "../../../src/scan/types.js";

/** Pieces that make or almost make hints, in any case, glued by filler: where the edge cases are. */
const piece = fc.constantFrom(
  "image",
  "IMAGE",
  "iMg",
  "im",
  "age",
  "Docker",
  "docker.io",
  "docker.",
  "ocker.io",
  "FROM",
  "From",
  "FRO",
  "registry.k8s.io",
  "registr",
  "localhost:",
  "localhost",
  "127.0.0.1:",
  "gcr.io",
  "cr.io",
  "kubeflowkatib",
  "kubeflow",
  "local",
  " ",
  "\n",
  "x",
  "/",
  ".",
  "é",
);
const text = fc.array(piece, { maxLength: 12 }).map((p) => p.join(""));
const contexts: ExtractContext[] = [
  { file: "x" },
  { file: "x", rules: [parseMappingRule("docker.io/kubeflowkatib=ghcr.io/kubeflow/katib")] },
  { file: "x", rules: [parseMappingRule("localhost:5000=local.example")] },
];

/** A text and four offsets into it in order: an indexed stretch [start, end) and a span [from, to) inside it. */
const textWithSpans = fc.tuple(text, fc.nat(), fc.nat(), fc.nat(), fc.nat()).map(([t, ...offsets]) => {
  const [start, from, to, end] = offsets.map((n) => n % (t.length + 1)).sort((x, y) => x - y);
  return [t, start!, from!, to!, end!] as const;
});

describe("HintIndex", () => {
  it("answers mayHoldReference for every span of the indexed stretch (property)", () => {
    fc.assert(
      fc.property(textWithSpans, ([t, start, from, to, end]) => {
        for (const ctx of contexts) {
          const index = new HintIndex(t, start, end, ctx);
          assert.equal(index.holds(from, to), mayHoldReference(t.slice(from, to), ctx), `${from}-${to}`);
          assert.equal(index.empty, !mayHoldReference(t.slice(start, end), ctx));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("finds the next hint from an offset", () => {
    const t = "abc image x FROM y";
    const index = new HintIndex(t, 0, t.length, { file: "x" });
    assert.equal(index.next(0), 4);
    assert.equal(index.next(5), 12);
    assert.equal(index.next(13), -1);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parseMappingRule } from "../../src/reference/mapping.js";
import { findHints, HintIndex, mayHoldReference } from "../../src/scan/hints.js";
import type { ExtractContext } from "../../src/scan/types.js";

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

  it("answers the same from the file's hints found beforehand as from its own search (property)", () => {
    fc.assert(
      fc.property(textWithSpans, ([t, start, from, to, end]) => {
        const pairs: number[] = [];
        findHints(t, (s, e) => pairs.push(s, e) > 0);
        for (const ctx of contexts) {
          const known: ExtractContext = { ...ctx, hints: { text: t, pairs: Int32Array.from(pairs) } };
          const searched = new HintIndex(t, start, end, ctx);
          const given = new HintIndex(t, start, end, known);
          assert.equal(given.holds(from, to), searched.holds(from, to), `${from}-${to}`);
          assert.equal(given.empty, searched.empty);
          assert.equal(given.next(from), searched.next(from));
          assert.equal(mayHoldReference(t, known), mayHoldReference(t, ctx));
          // Hints given for another text are not used for this one.
          const other: ExtractContext = { ...ctx, hints: { text: `${t} `, pairs: new Int32Array(0) } };
          assert.equal(mayHoldReference(t, other), mayHoldReference(t, ctx));
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

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { blankJsonComments } from "../../src/scan/json/blank-comments.js";

describe("JSON with comments read as JSON", () => {
  it("blanks comments and trailing commas, keeping every offset, and nothing inside strings", () => {
    const cases: Array<[string, string | undefined]> = [
      ['{"a": "https://x.io/b"}', undefined],
      ['{"a": 1, // note\n"b": 2}', '{"a": 1,        \n"b": 2}'],
      ["[1, /* c */ ]", "[1  " + " ".repeat(7) + " ]"],
      ['{"a": "x\\"//y", "b": [1,\n]}', '{"a": "x\\"//y", "b": [1 \n]}'],
      ['{"a": 1,, }', '{"a": 1,  }'],
      ['{"a": 1, "b"}', undefined],
      ['{"a": "/*"} /* tail', '{"a": "/*"}        '],
    ];
    for (const [text, blanked] of cases) {
      const out = blankJsonComments(text);
      assert.equal(out, blanked, text);
      if (out !== undefined) assert.equal(out.length, text.length);
    }
  });
});

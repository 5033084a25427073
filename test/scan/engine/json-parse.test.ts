import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { type JsonNode, JsonSyntaxError, parseJsonWithSpans } from "../../../src/scan/engine/json/parse.js";

/** Every string of a parsed document (keys and values), in document order. */
function stringsOf(node: JsonNode, out: string[] = []): string[] {
  if (node.type === "string") out.push(node.value);
  else if (node.type === "object")
    for (const { key, value } of node.entries) {
      out.push(key.value);
      stringsOf(value, out);
    }
  else if (node.type === "array") for (const item of node.items) stringsOf(item, out);
  return out;
}

/** The same from JSON.parse's value (object keys keep their order; duplicates cannot occur here). */
function plainStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const item of value) plainStrings(item, out);
  else if (value !== null && typeof value === "object")
    for (const [key, item] of Object.entries(value)) {
      out.push(key);
      plainStrings(item, out);
    }
  return out;
}

describe("parseJsonWithSpans", () => {
  it("decodes every string as JSON.parse does, and each span holds its string's characters (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        const root = parseJsonWithSpans(text);
        assert.deepEqual(stringsOf(root), plainStrings(JSON.parse(text)));
        const check = (node: JsonNode): void => {
          if (node.type === "string")
            assert.equal(JSON.parse(`"${text.slice(node.start, node.end)}"`), node.value);
          else if (node.type === "object")
            for (const entry of node.entries) {
              check(entry.key);
              check(entry.value);
            }
          else if (node.type === "array") node.items.forEach(check);
        };
        check(root);
      }),
      { numRuns: 500 },
    );
  });

  it("reports an unclosed string, and a bad escape where the string starts", () => {
    assert.throws(
      () => parseJsonWithSpans('{"a": "b'),
      (e: unknown) => e instanceof JsonSyntaxError && e.offset === 8,
    );
    assert.throws(
      () => parseJsonWithSpans('{"a": "x\\q"}'),
      (e: unknown) => e instanceof JsonSyntaxError && e.offset === 7,
    );
    assert.deepEqual(stringsOf(parseJsonWithSpans('["a\\"b", "c\\\\", "d"]')), ['a"b', "c\\", "d"]);
  });
});

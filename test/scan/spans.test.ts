import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import fc from "fast-check";
import { decodeEscaped } from "../../src/scan/engine/embed.js";
import { scanText } from "../../src/scan/scan-text.js";
import type { Occurrence } from "../../src/scan/types.js";
import { walkRepository } from "../../src/scan/walk.js";
import { fixturePath } from "../helpers/paths.js";

/** Checks what a rewrite relies on: every field's span decodes to its value, and bytes match text. */
function checkOccurrence(text: string, bytes: Buffer, o: Occurrence): void {
  const where = `${o.file}:${o.line}:${o.column}`;
  for (const field of o.fields) {
    const slice = text.slice(field.start, field.end);
    assert.equal(decodeEscaped(slice, field.escaping), field.value, `${where} field ${field.role}`);
  }
  assert.equal(bytes.subarray(o.byteStart, o.byteEnd).toString("utf8"), o.text, `${where} bytes`);
  const lines = text.split("\n");
  const line = lines[o.line - 1];
  assert.ok(line !== undefined, `${where} line`);
  assert.equal(o.text.split("\n")[0], line.slice(o.column - 1, o.column - 1 + o.text.split("\n")[0]!.length));
  // A rewrite writes a one-field reference's new value into its field; a partial one is never
  // written, and may name parts found elsewhere (`{{ hub }}/proxy:{{ tag }}`).
  if (o.fields.length === 1 && o.kind !== "partial")
    assert.equal(o.value, o.fields[0]!.value, `${where} value`);
}

describe("scan: spans point at the exact characters and bytes", () => {
  for (const area of ["forms", "negative", "repo-katib-like"]) {
    it(`every finding in test/fixtures/scan/${area}`, async () => {
      const root = fixturePath("scan", area);
      let count = 0;
      for (const file of await walkRepository(root)) {
        const bytes = await readFile(`${root}/${file}`);
        const text = bytes.toString("utf8");
        for (const o of scanText(file, text).references) {
          checkOccurrence(text, bytes, o);
          count++;
        }
      }
      if (area !== "negative") assert.ok(count > 10, `only ${count} findings`);
    });
  }

  it("positions inside embedded documents point into the outer file", async () => {
    const cases: Array<[string, string, string]> = [
      // file, expected value, escaping of its field
      [
        "kubernetes/configmap.yaml",
        "docker.io/kubeflowkatib/earlystopping-medianstop:v0.17.0",
        "json-string",
      ],
      ["kubernetes/configmap.yaml", "docker.io/kubeflowkatib/file-metrics-collector:v0.17.0", "none"],
      ["json/fixture.json", "docker.io/kubeflowkatib/enas-cnn-cifar10-cpu:v0.17.0", "json-string"],
      ["json/fixture.json", "docker.io/kubeflowkatib/nested:v1", "json-string-2"],
      ["notebook/tune.ipynb", "docker.io/kubeflowkatib/katib-tune:v0.17.0", "json-string"],
      ["source/images.go", "docker.io/kubeflowkatib/mxnet-mnist:latest", "none"],
      ["source/images.go", "docker.io/kubeflowkatib/tfevent-metrics-collector:v0.17.0", "json-string"],
    ];
    for (const [file, value, escaping] of cases) {
      const text = await readFile(fixturePath("scan", "forms", file), "utf8");
      const hits = scanText(file, text).references.filter((o) => o.value === value);
      assert.equal(hits.length, 1, `${file}: ${value}`);
      const field = hits[0]!.fields[0]!;
      assert.equal(field.escaping, escaping);
      assert.equal(text.slice(field.start, field.end), value);
      // The characters around the span are the outer file's delimiters, not the value's.
      assert.match(text.slice(field.start - 2, field.start), /[ "':\\]$/);
    }
  });

  it("byte offsets stay right after any Unicode text (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), (noise) => {
        const comment = noise.replace(/[\r\n\u2028\u2029\u0085]/g, " ");
        const text = `# ${comment}\nspec:\n  image: "docker.io/kubeflowkatib/katib-ui:v1"\n`;
        const bytes = Buffer.from(text, "utf8");
        if (bytes.toString("utf8") !== text) return; // lone surrogates do not survive UTF-8
        const found = scanText("pod.yaml", text).references;
        assert.equal(found.length, 1);
        checkOccurrence(text, bytes, found[0]!);
        assert.equal(found[0]!.line, 3);
      }),
      { numRuns: 200 },
    );
  });
});

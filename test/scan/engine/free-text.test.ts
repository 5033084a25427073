import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { scanFreeText } from "../../../src/scan/engine/free-text.js";

const ctx = { file: "dashboard.yaml" };

describe("free text on long lines", () => {
  it("finds a token by its own host or by an image context before it, however long the line", () => {
    const filler = Array.from({ length: 400 }, (_, i) => `"panel${i}":"rate(x[5m])"`).join(",");
    const line = [
      `{${filler}`,
      `"image":"acme/app:v1"`,
      filler,
      `"exporter":"quay.io/acme/exporter:v2"`,
      filler,
      `"args":"run --sidecar-image=acme/side:v3"}`,
    ].join(",");
    const found = scanFreeText(line, 0, line.length, "helm-template", ctx).map((f) => f.value);
    assert.deepEqual(found, ["acme/app:v1", "quay.io/acme/exporter:v2", "acme/side:v3"]);
  });
});

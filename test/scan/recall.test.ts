import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { parseMappingRule } from "../../src/reference/mapping.js";
import { planRewrite } from "../../src/rewrite/plan.js";
import { scanText } from "../../src/scan/scan-text.js";
import { fixturePath } from "../helpers/paths.js";

/** Scans a form fixture and plans a rewrite of it under `map`. */
async function plan(file: string, map: string) {
  const text = await readFile(fixturePath("scan", "forms", file), "utf8");
  const rules = [parseMappingRule(map)];
  const occurrences = scanText(file, text, { rules }).references;
  return planRewrite({ occurrences, texts: new Map([[file, text]]), rules });
}

/** The patterns issue 11 found missed, beyond what the form table (forms.test.ts) pins. */
describe("scan recall", () => {
  it("a Helm image under a global registry is resolved and needs attention, never edited", async () => {
    const result = await plan(
      "helm-values/global-registry/values.yaml",
      "registry.example.io/ingress=ghcr.io/acme/ingress",
    );
    assert.deepEqual([...result.edits.keys()], []);
    assert.deepEqual(
      result.attention.map((a) => `${a.line} ${a.reason.replace(/;.*/, "")}`),
      [
        "9 holds {{ .Values.global.image.registry }} (resolves to registry.example.io/ingress/controller:v1.9.4): not rewritten",
        "14 holds {{ .Values.global.image.registry }} (resolves to registry.example.io/ingress/webhook:v1.9.4): not rewritten",
      ],
    );
  });

  it("commented-out YAML examples are reported as comments, and a rewrite keeps them in step", async () => {
    const file = "kubernetes/commented.yaml";
    const text = await readFile(fixturePath("scan", "forms", file), "utf8");
    const found = scanText(file, text).references.map((o) => `${o.line} ${o.context}`);
    assert.deepEqual(found, [
      "10 image:",
      "12 in a comment (image:)",
      "16 in a comment (image:)",
      "19 in a comment (image:)",
      "20 in a comment (image:)",
    ]);
    const result = await plan(file, "docker.io/kubeflowkatib=ghcr.io/kubeflow/katib");
    assert.deepEqual(
      result.edits.get(file)?.map((e) => `${e.line} ${e.after}`),
      ["10 ghcr.io/kubeflow/katib/katib-ui:v0.17.0", "12 ghcr.io/kubeflow/katib/katib-ui:latest"],
    );
  });
});

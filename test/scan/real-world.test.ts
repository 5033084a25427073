/**
 * The scan on trimmed real-world files (test/fixtures/scan/real-world, sources in its SOURCE.md):
 * the references each holds are found with exact spans, and nothing is found in a CRD's schema.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { scanRepository } from "../../src/scan/scan-repository.js";
import { fixturePath } from "../helpers/paths.js";

const root = fixturePath("scan", "real-world");

/** Per file, the references it holds: line and value. */
const expected: Record<string, ReadonlyArray<readonly [number, string]>> = {
  "kubeflow-manifests/cert-manager-release.yaml": [
    [133, "quay.io/jetstack/cert-manager-controller:v1.19.4"],
    [139, "quay.io/jetstack/cert-manager-acmesolver:v1.19.4"],
  ],
  "cert-manager/base_images.mk": [
    [
      3,
      "gcr.io/distroless/static-debian13@sha256:23795be0fe67b7d47d1ee62b19c7db750152db627d5bbfa31307e892a7575bec",
    ],
    [
      4,
      "gcr.io/distroless/static-debian13@sha256:42ae677c641858a6347005914586184474501cceb30dfecf4a20062b3bc00312",
    ],
    [
      5,
      "gcr.io/distroless/static-debian13@sha256:839ed69175765d990e892802cb9d9eecd7ffdba3b051f59994c5dcd0f9fc522d",
    ],
  ],
  "prometheus-helm-charts/values.yaml": [[7, "quay.io/prometheus/prometheus:v3.14.0-distroless"]],
};

describe("scan on real-world files", () => {
  it("finds each file's references where they are", async () => {
    const result = await scanRepository(root);
    assert.deepEqual(result.problems, []);
    for (const [file, references] of Object.entries(expected)) {
      const bytes = await readFile(`${root}/${file}`);
      const found = result.references.filter((r) => r.file === file);
      for (const [line, value] of references) {
        const hit = found.find((r) => r.line === line && r.value === value);
        assert.ok(
          hit,
          `${file}:${line} ${value} not found; found ${found.map((r) => `${r.line} ${r.value}`)}`,
        );
        for (const field of hit.fields)
          assert.equal(bytes.subarray(field.start, field.end).toString(), field.value, `${file}:${line}`);
      }
    }
  });

  it("finds nothing in a release bundle's CRD schema, and everything after it", async () => {
    const file = "kubeflow-manifests/cert-manager-release.yaml";
    const text = await readFile(`${root}/${file}`, "utf8");
    const schemaEnd = text.split("\n").findIndex((l) => l.includes("(trimmed: the rest of the schema"));
    assert.ok(schemaEnd > 0);
    const result = await scanRepository(root);
    const lines = result.references.filter((r) => r.file === file).map((r) => r.line);
    assert.deepEqual(lines, [133, 139]);
    assert.ok(lines.every((line) => line > schemaEnd + 1));
  });
});

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: shell and template variables are the data under test
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseMappingRule } from "../../../src/reference/mapping.js";
import { classifyCandidate, type Trust } from "../../../src/scan/engine/candidate.js";

const rules = [parseMappingRule("docker.io/kubeflowkatib=ghcr.io/kubeflow/katib")];

/** value, trust, expected kind (undefined: not a reference). */
const table: ReadonlyArray<[string, Trust, string | undefined]> = [
  ["nginx", "field", "complete"],
  ["nginx", "free", undefined],
  ["mysql:8.0", "free", undefined],
  ["docker.io/library/mysql:8.0", "free", "complete"],
  ["quay.io/prometheus/busybox", "free", "complete"],
  ["europe-docker.pkg.dev/p/r/img:1", "free", "complete"],
  ["123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1", "free", "complete"],
  ["localhost:5000/app:1", "free", "complete"],
  ["example.com/app:1", "free", undefined],
  ["github.com/kubeflow/katib/pkg", "free", undefined],
  ["https://ghcr.io/kubeflow/katib", "free", undefined],
  ["https://ghcr.io/kubeflow/katib", "field", undefined],
  ["./docs/images/arch.png", "field", undefined],
  ["docs/images/arch.png", "free", undefined],
  ["12:30:45", "field", undefined],
  ["foo:bar", "free", undefined],
  ["v1.2.3", "free", undefined],
  ["kubeflowkatib/katib-ui:v1", "free", undefined],
  ["docker.io/kubeflowkatib", "free", "prefix"],
  ["docker.io/kubeflowkatib/", "free", "prefix"],
  ["docker.io/kubeflowkatib/", "registry", "prefix"],
  ["ghcr.io", "registry", "prefix"],
  ["kubeflowkatib", "registry", undefined],
  ["${REGISTRY}/katib-controller:${TAG}", "field", "partial"],
  ["${REGISTRY}/katib-controller:${TAG}", "free", undefined],
  ["{{ .Values.image }}", "field", "partial"],
  ["$(IMG)", "free", undefined],
  ["docker.io/KubeFlow/katib:1", "field", undefined],
  // Issue 11's false positives on real trees: none is an image in free text.
  ["localhost:8080/volumes/", "free", undefined],
  ["localhost:15000/ready", "free", undefined],
  ["localhost:8080/volumes/api/${NS}/pvcs", "free", undefined],
  ["localhost:5000/team/app", "free", "complete"],
  ["localhost:5000/app:${TAG}", "free", "partial"],
  ["10.0.0", "registry", undefined],
  ["10.0.0.1:5000/team", "registry", "prefix"],
  ["github.com/acme/widget", "registry", undefined],
  ["registry.example.com:5000/team", "registry", "prefix"],
  ["iam.amazonaws.com/role", "free", undefined],
  ["s.amazonaws.com/", "free", undefined],
  ["123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app", "free", "complete"],
  ["quay.io/acme/charts/widget", "free", undefined],
  ["quay.io/acme/charts", "free", undefined],
  ["ghcr.io/acme/helm-charts", "free", undefined],
  ["quay.io/acme/charts/widget:v1.2.0", "free", "complete"],
  ["quay.io/acme/charts/widget", "field", "complete"],
];

describe("classifyCandidate", () => {
  for (const [value, trust, kind] of table) {
    it(`${value} (${trust}) -> ${kind ?? "not a reference"}`, () => {
      assert.equal(classifyCandidate(value, trust)?.kind, kind);
    });
  }

  it("counts a name under a --map rule's prefix in free text", () => {
    assert.equal(classifyCandidate("kubeflowkatib/katib-ui:v1", "free", rules)?.kind, "complete");
    assert.equal(classifyCandidate("kubeflowkatib/katib-ui:v1", "free", rules)?.mapped, true);
    assert.equal(classifyCandidate("otherorg/katib-ui:v1", "free", rules), undefined);
  });
});

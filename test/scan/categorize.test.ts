import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseMappingRule } from "../../src/reference/mapping.js";
import { scanRepository } from "../../src/scan/scan-repository.js";
import { fixturePath } from "../helpers/paths.js";

const repo = fixturePath("scan", "repo-katib-like");

describe("scanRepository on a Katib-shaped repository", () => {
  it("sorts images into own, example and third-party, with evidence", async () => {
    const result = await scanRepository(repo);
    assert.deepEqual(result.problems, []);
    const categories = Object.fromEntries(result.images.map((i) => [i.name, i.category]));
    assert.deepEqual(categories, {
      // Built by the Makefile through ${KATIB_REGISTRY}/<name> and by a script, plus a workflow's build-push-action.
      "docker.io/kubeflowkatib/katib-controller": "own",
      "docker.io/kubeflowkatib/katib-ui": "own",
      "docker.io/kubeflowkatib/katib-db-manager": "own",
      "docker.io/kubeflowkatib/file-metrics-collector": "own",
      // Only in examples/, docs/ and a notebook.
      "docker.io/kubeflowkatib/mxnet-mnist": "example",
      "docker.io/library/python": "example",
      // Everyone else's.
      "docker.io/library/mysql": "third-party",
      "docker.io/library/postgres": "third-party",
      "docker.io/library/golang": "third-party",
      "docker.io/library/alpine": "third-party",
      "docker.io/library/node": "third-party",
      "gcr.io/distroless/static": "third-party",
    });
    const controller = result.images.find((i) => i.name === "docker.io/kubeflowkatib/katib-controller")!;
    assert.ok(controller.evidence.some((e) => e.startsWith("built by Makefile:5 (docker build -t")));
    assert.ok(controller.evidence.includes("Dockerfile cmd/katib-controller/v1beta1/Dockerfile"));
    assert.deepEqual(controller.files, [
      "manifests/v1beta1/components/controller/controller.yaml",
      "manifests/v1beta1/installs/katib-with-kubeflow/kustomization.yaml",
    ]);
    assert.deepEqual(controller.tags, ["v0.17.0"]);
    const ui = result.images.find((i) => i.name === "docker.io/kubeflowkatib/katib-ui")!;
    assert.ok(ui.evidence.includes("Dockerfile cmd/ui/v1beta1/Dockerfile"));
    const mnist = result.images.find((i) => i.name === "docker.io/kubeflowkatib/mxnet-mnist")!;
    assert.equal(mnist.count, 3);
    // Occurrences carry their image's category; the partial Makefile ones match by basename.
    const makefile = result.references.filter((o) => o.file === "Makefile");
    assert.deepEqual(
      makefile.map((o) => [o.line, o.kind, o.category]),
      [
        [1, "prefix", "own"],
        [5, "partial", "own"],
        [6, "partial", "own"],
        [9, "partial", "own"],
        [10, "partial", "own"],
      ],
    );
  });

  it("reports what each reference would become under --map rules", async () => {
    const rules = [parseMappingRule("docker.io/kubeflowkatib=ghcr.io/kubeflow/katib")];
    const result = await scanRepository(repo, { rules });
    const prefix = result.references.find((o) => o.file === "Makefile" && o.kind === "prefix")!;
    assert.equal(prefix.mapped, "ghcr.io/kubeflow/katib");
    const kustomize = result.references.find((o) => o.form === "kustomize" && o.value.includes("katib-ui"))!;
    assert.equal(kustomize.mapped, "ghcr.io/kubeflow/katib/katib-ui:v0.17.0");
    const mysql = result.references.find((o) => o.reference?.name === "docker.io/library/mysql")!;
    assert.equal(mysql.mapped, undefined);
    const ui = result.images.find((i) => i.name === "docker.io/kubeflowkatib/katib-ui")!;
    assert.equal(ui.mapped, "ghcr.io/kubeflow/katib/katib-ui");
  });

  it("lets configuration override a category (longest prefix wins)", async () => {
    const result = await scanRepository(repo, {
      categoryOverrides: new Map([
        ["docker.io/kubeflowkatib/", "third-party"],
        ["docker.io/kubeflowkatib/mxnet-mnist", "own"],
        ["mysql", "own"],
        ["docker.io/library/postgres/", "own"],
      ] as const),
    });
    const categories = Object.fromEntries(result.images.map((i) => [i.name, i.category]));
    assert.equal(categories["docker.io/kubeflowkatib/katib-ui"], "third-party");
    assert.equal(categories["docker.io/kubeflowkatib/mxnet-mnist"], "own");
    assert.equal(categories["docker.io/library/mysql"], "own");
    // A prefix key covers names under it, and the name itself.
    assert.equal(categories["docker.io/library/postgres"], "own");
    assert.equal(categories["docker.io/library/golang"], "third-party");
    const ui = result.images.find((i) => i.name === "docker.io/kubeflowkatib/katib-ui")!;
    assert.deepEqual(ui.evidence, ["set by configuration (docker.io/kubeflowkatib/)"]);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseMappingRule } from "../../src/reference/mapping.js";
import { parseReference } from "../../src/reference/reference.js";
import { categorize, usageOfPath } from "../../src/scan/categorize.js";
import { scanRepository } from "../../src/scan/scan-repository.js";
import type { Occurrence } from "../../src/scan/types.js";
import { fixturePath } from "../helpers/paths.js";

const repo = fixturePath("scan", "repo-katib-like");

describe("scanRepository on a Katib-shaped repository", () => {
  it("sorts images by owner and by usage, with evidence", async () => {
    const result = await scanRepository(repo);
    assert.deepEqual(result.problems, []);
    const categories = Object.fromEntries(result.images.map((i) => [i.name, `${i.owner} ${i.usage}`]));
    assert.deepEqual(categories, {
      // Built by the Makefile through ${KATIB_REGISTRY}/<name> and by a script, plus a workflow's build-push-action.
      "docker.io/kubeflowkatib/katib-controller": "own core",
      "docker.io/kubeflowkatib/katib-ui": "own core",
      "docker.io/kubeflowkatib/katib-db-manager": "own core",
      "docker.io/kubeflowkatib/file-metrics-collector": "own core",
      // Only in examples/, docs/ and a notebook, in the namespace of the images built here.
      "docker.io/kubeflowkatib/mxnet-mnist": "own example",
      // Someone else's, used only in examples: still third-party, so a mirror policy covers it.
      "docker.io/library/python": "third-party example",
      // Everyone else's.
      "docker.io/library/mysql": "third-party core",
      "docker.io/library/postgres": "third-party core",
      "docker.io/library/golang": "third-party core",
      "docker.io/library/alpine": "third-party core",
      "docker.io/library/node": "third-party core",
      "gcr.io/distroless/static": "third-party core",
    });
    const mnist = result.images.find((i) => i.name === "docker.io/kubeflowkatib/mxnet-mnist")!;
    assert.ok(
      mnist.evidence[0]?.startsWith("in the project's namespace docker.io/kubeflowkatib/"),
      mnist.evidence[0],
    );
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
    assert.equal(mnist.count, 3);
    // Occurrences carry their image's owner; the partial Makefile ones match by basename.
    const makefile = result.references.filter((o) => o.file === "Makefile");
    assert.deepEqual(
      makefile.map((o) => [o.line, o.kind, o.owner]),
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

  it("lets configuration override an owner or a usage (longest prefix wins, each axis on its own)", async () => {
    const result = await scanRepository(repo, {
      categoryOverrides: new Map([
        ["docker.io/kubeflowkatib/", { owner: "third-party" }],
        ["docker.io/kubeflowkatib/mxnet-mnist", { owner: "own" }],
        ["mysql", { owner: "own" }],
        ["docker.io/library/postgres/", { owner: "own", usage: "test" }],
        ["docker.io/library/", { usage: "docs" }],
      ] as const),
    });
    const categories = Object.fromEntries(result.images.map((i) => [i.name, i.owner]));
    assert.equal(categories["docker.io/kubeflowkatib/katib-ui"], "third-party");
    assert.equal(categories["docker.io/kubeflowkatib/mxnet-mnist"], "own");
    assert.equal(categories["docker.io/library/mysql"], "own");
    // A prefix key covers names under it, and the name itself.
    assert.equal(categories["docker.io/library/postgres"], "own");
    assert.equal(categories["docker.io/library/golang"], "third-party");
    const usage = Object.fromEntries(result.images.map((i) => [i.name, i.usage]));
    assert.equal(usage["docker.io/library/postgres"], "test");
    assert.equal(usage["docker.io/library/golang"], "docs");
    assert.equal(usage["gcr.io/distroless/static"], "core");
    const ui = result.images.find((i) => i.name === "docker.io/kubeflowkatib/katib-ui")!;
    assert.equal(ui.evidence[0], "set by configuration (docker.io/kubeflowkatib/)");
  });
});

/** An occurrence of a complete reference at `file`, as the scan reports it. */
function occurrence(file: string, text: string, build = false): Occurrence {
  return {
    form: "kubernetes",
    kind: "complete",
    role: "pull",
    value: text,
    fields: [],
    context: build ? "docker build -t" : "image:",
    file,
    line: 1,
    column: 1,
    byteStart: 0,
    byteEnd: text.length,
    text,
    reference: parseReference(text),
    ...(build ? { build: true as const } : {}),
  };
}

describe("categorize", () => {
  it("classes a path by usage: examples, tests and docs, core otherwise", () => {
    const cases: Array<[string, string]> = [
      ["manifests/deploy.yaml", "core"],
      [".github/workflows/ci.yaml", "core"],
      ["examples/kind/cluster.yaml", "example"],
      ["docs/examples/run.md", "example"],
      ["notebooks/tune.ipynb", "example"],
      ["test/e2e/setup.sh", "test"],
      ["pkg/controller/controller_test.go", "test"],
      ["docs/install.md", "docs"],
      ["README.md", "docs"],
    ];
    for (const [file, usage] of cases) assert.equal(usageOfPath(file), usage, file);
  });

  it("owns an image in the namespace of one built here, never Docker Hub's library/", () => {
    const { images } = categorize(
      [
        occurrence("Makefile", "docker.io/myorg/app:v1", true),
        occurrence("Dockerfile", "docker.io/myorg/base:v1"),
        occurrence("Makefile", "docker.io/library/golang:1.22", true),
        occurrence("Dockerfile", "docker.io/library/alpine:3"),
        occurrence("manifests/a.yaml", "docker.io/otherorg/tool:v1"),
      ],
      { dockerfiles: ["Dockerfile"] },
    );
    const owners = Object.fromEntries(images.map((i) => [i.name, i.owner]));
    assert.deepEqual(owners, {
      "docker.io/myorg/app": "own",
      "docker.io/myorg/base": "own",
      "docker.io/library/golang": "own",
      "docker.io/library/alpine": "third-party",
      "docker.io/otherorg/tool": "third-party",
    });
  });

  it("keeps applying configuration keyed by source names after the switch, through the rules", () => {
    const { images } = categorize(
      [
        occurrence("manifests/a.yaml", "ghcr.io/myorg/docs-image:v1"),
        occurrence("manifests/a.yaml", "ghcr.io/myorg/app:v1"),
      ],
      {
        dockerfiles: [],
        rules: [parseMappingRule("docker.io/myorg=ghcr.io/myorg")],
        overrides: new Map([
          ["docker.io/myorg/docs-image", { owner: "own", usage: "docs" }],
          ["docker.io/myorg/", { owner: "own" }],
        ] as const),
      },
    );
    const found = Object.fromEntries(images.map((i) => [i.name, `${i.owner} ${i.usage}`]));
    assert.deepEqual(found, { "ghcr.io/myorg/docs-image": "own docs", "ghcr.io/myorg/app": "own core" });
  });
});

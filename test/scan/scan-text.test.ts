// biome-ignore-all lint/suspicious/noTemplateCurlyInString: shell and template variables are the data under test
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseMappingRule } from "../../src/reference/mapping.js";
import { scanText } from "../../src/scan/scan-text.js";

const rules = [parseMappingRule("docker.io/kubeflowkatib=ghcr.io/kubeflow/katib")];

describe("scanText", () => {
  it("finds commands run through a tool variable, and hosts written as [::1]:port", () => {
    const found = (file: string, text: string) =>
      scanText(file, text).references.map((r) => [
        r.value,
        r.form,
        r.context,
        r.line,
        r.column,
        r.build ?? false,
      ]);
    assert.deepEqual(
      found("Makefile", "build:\n\t$(DOCKER) build -t team/app:1 .\n\t$(DOCKER) push team/app:1\n"),
      [
        ["team/app:1", "makefile", "$(DOCKER) build -t", 2, 21, true],
        ["team/app:1", "makefile", "$(DOCKER) push", 3, 17, true],
      ],
    );
    assert.deepEqual(
      found("build.sh", "#!/bin/sh\n$DOCKER build -t team/app:1 .\n${PODMAN_BIN} pull team/base:2\n"),
      [
        ["team/app:1", "shell", "$DOCKER build -t", 2, 18, true],
        ["team/base:2", "shell", "${PODMAN_BIN} pull", 3, 20, false],
      ],
    );
    assert.deepEqual(found("main.go", 'package main\nvar mirror = "[::1]:5000/team/app:1"\n'), [
      ["[::1]:5000/team/app:1", "source", "known registry", 2, 15, false],
    ]);
    assert.deepEqual(
      found("README.md", "Pull `[::1]:5000/team/app:1` first; a[1:2] and [docs](x) are not.\n"),
      [["[::1]:5000/team/app:1", "markdown", "known registry", 1, 7, false]],
    );
  });

  it("reports files it cannot parse as problems, with the line, and keeps going", () => {
    const yaml = scanText("broken.yaml", "spec:\n  image: ghcr.io/a/b:1\n  args: [unclosed\n");
    assert.equal(yaml.problems.length, 1);
    assert.equal(yaml.problems[0]!.file, "broken.yaml");
    assert.match(yaml.problems[0]!.message, /^YAML: /);
    assert.ok((yaml.problems[0]!.line ?? 0) >= 3);
    const notebook = scanText("bad.ipynb", '{"cells": [');
    assert.deepEqual(
      notebook.problems.map((p) => p.line),
      [1],
    );
    assert.deepEqual(notebook.references, []);
  });

  it("counts a name under a --map prefix in free text only with the rule", () => {
    const text = "Use `kubeflowkatib/katib-ui:v0.17.0` for the UI.\n";
    assert.deepEqual(scanText("README.md", text).references, []);
    const found = scanText("README.md", text, { rules }).references;
    assert.equal(found.length, 1);
    assert.equal(found[0]!.text, "kubeflowkatib/katib-ui:v0.17.0");
    assert.equal(found[0]!.mapped, "ghcr.io/kubeflow/katib/katib-ui:v0.17.0");
  });

  it("keeps the more specific extractor's finding when two overlap", () => {
    const text = "images:\n  - name: docker.io/kubeflowkatib/katib-ui\n    newTag: v1\n";
    const found = scanText("kustomization.yaml", text).references;
    assert.deepEqual(
      found.map((o) => [o.form, o.fields.map((f) => f.role)]),
      [["kustomize", ["kustomize-name", "kustomize-newTag"]]],
    );
  });

  it("marks builds: docker build -t, push, and an IMG variable built as $(IMG)", () => {
    const text =
      "IMG ?= ghcr.io/acme/app:v1\nOTHER ?= ghcr.io/acme/other:v1\nbuild:\n\tdocker build -t $(IMG) .\n";
    const found = scanText("Makefile", text).references;
    assert.deepEqual(
      found.map((o) => [o.text, o.build === true]),
      [
        ["ghcr.io/acme/app:v1", true],
        ["ghcr.io/acme/other:v1", false],
      ],
    );
  });

  it("marks a compose service with build: as building its image", () => {
    const text =
      "services:\n  app:\n    build: .\n    image: ghcr.io/acme/app:v1\n  db:\n    image: mysql:8.0\n";
    const found = scanText("compose.yaml", text).references;
    assert.deepEqual(
      found.map((o) => [o.text, o.build === true]),
      [
        ["ghcr.io/acme/app:v1", true],
        ["mysql:8.0", false],
      ],
    );
  });
});

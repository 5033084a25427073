// biome-ignore-all lint/suspicious/noTemplateCurlyInString: shell and template variables are the data under test
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parseMappingRule } from "../../src/reference/mapping.js";
import { mayFindReferences } from "../../src/scan/prefilter.js";
import { scanRepository } from "../../src/scan/scan-repository.js";
import { scanText } from "../../src/scan/scan-text.js";
import type { ExtractContext } from "../../src/scan/types.js";
import { walkRepository } from "../../src/scan/walk.js";
import { fixturePath } from "../helpers/paths.js";

const contexts: ExtractContext[] = [
  { file: "" },
  { file: "", rules: [parseMappingRule("reg.example.com/team=ghcr.io/acme")] },
];

/** The pre-filter's promise: it lets through every file scanText finds a reference in. */
function checkSound(file: string, text: string): void {
  for (const ctx of contexts) {
    const options = ctx.rules === undefined ? {} : { rules: ctx.rules };
    if (scanText(file, text, options).references.length === 0) continue;
    assert.ok(mayFindReferences(file, text, { ...ctx, file }), `${file} skipped:\n${text}`);
  }
}

/** A file of every form (and some of none), by name. */
const fileNames = [
  "Dockerfile",
  "build/Containerfile.ui",
  "hack/build.sh",
  ".env",
  "Makefile",
  "rules.mk",
  "values.yaml",
  "deploy.yaml",
  "chart/templates/deploy.yaml",
  "chart/templates/_helpers.tpl",
  ".github/workflows/ci.yml",
  ".gitlab-ci.yml",
  "docker-compose.yml",
  "kustomization.yaml",
  "fixture.json",
  "tune.ipynb",
  "README.md",
  "index.rst",
  "main.go",
  "client.py",
  "web/app.ts",
  "Images.java",
  "hack/run",
  "notes.txt",
];

/** Lines that find references in one form or another, or almost do. */
const lines = [
  "from alpine:3.19",
  "FROM golang:1.22 AS build",
  "COPY --from=reg.example.com/team/tools:1 /x /y",
  "RUN --mount=type=bind,from=reg.example.com/team/src:2,target=/src make",
  "# syntax=reg.example.com/team/dockerfile:1",
  "#!/bin/bash",
  "crane copy reg.example.com/a/b:1 other.example.com/a/b:1",
  "gcrane cp a.example/x:1 b.example/x:1",
  "skopeo copy docker://reg.example.com/a/b:1 docker://other.example.com/a/b:1",
  "$(CONTAINER_ENGINE) build -t reg.example.com/team/app:1 .",
  "${OCI_BIN} push reg.example.com/team/app:2",
  "$(DOCKER) build -t team/app:10 .",
  "$DOCKER push team/app:11",
  'const mirror = "[::1]:5000/team/app:12"',
  "kind load docker-image team/app:1",
  "HUB=reg.example.com/team",
  "PREFIX ?= reg.example.com/team/",
  "export REPO=reg.example.com/team/app:3",
  "NAMESPACE := reg.example.com/ns",
  "MIRROR=[::1]:5000/team/app:1",
  "X=localhost:5000/team/app:1",
  "image: reg.example.com/team/app:4",
  "  image: nginx:1.25",
  "controller:",
  "  repository: team/controller",
  "  tag: v1",
  "container: node:20",
  "services:",
  "  - postgres:16",
  "uses: docker://alpine:3.19",
  "images:",
  "  - name: team/app",
  "    newName: reg.example.com/team/app",
  "    newTag: v2",
  '{"x": "gcr\\u002eio/team/app:1"}',
  '{"\\u0069mage": "team/app:1"}',
  '{"image": "team/app:5"}',
  'var img = "team/app:6"',
  'const s = "reg.example.com/team/app:7"',
  "// ghcr.io/team/app:8",
  "```",
  "`reg.example.com/team/app:9`",
  "{{ .Values.image }}",
  "image: {{ .Values.image }}",
  "docker pull quay.io/team/app:10",
  "see reg.example.com/team/app:11",
  "plain words",
];

/** A notebook whose cells split their lines, and words, across JSON strings. */
const notebook = fc
  .array(fc.tuple(fc.constantFrom(...lines), fc.nat()), { minLength: 1, maxLength: 4 })
  .map((cells) => {
    const source = cells.map(([line, at]) => {
      const cut = at % (line.length + 1);
      return [line.slice(0, cut), `${line.slice(cut)}\n`];
    });
    const json = source.map((s) => ({ cell_type: "code", source: s }));
    return JSON.stringify({ cells: json });
  });

/** A JSON object whose keys and strings may spell hints with escapes. */
const jsonKey = fc.constantFrom("x", "image", "\\u0069mage", "trialImage", "images", "cmd");
const jsonString = fc.constantFrom(
  "team/app:1",
  "gcr\\u002eio/team/app:1",
  "\\u0071uay.io/team/app:1",
  "docker pull team/app:1",
  "crane copy a.example/x/y:1 b.example/x/y:1",
  "apiVersion: v1\\nimage: team/app:1",
);
const json = fc
  .array(fc.tuple(jsonKey, fc.oneof(jsonString, fc.array(jsonString, { maxLength: 2 }))), { maxLength: 4 })
  .map((entries) => JSON.stringify(Object.fromEntries(entries)).replaceAll("\\\\", "\\"));

describe("mayFindReferences (the pre-filter of scanRepository)", () => {
  it("lets through every fixture file scanText finds a reference in", async () => {
    let found = 0;
    for (const area of ["forms", "negative", "repo-katib-like"]) {
      const root = fixturePath("scan", area);
      for (const file of await walkRepository(root)) {
        const text = await readFile(`${root}/${file}`, "utf8");
        checkSound(file, text);
        if (scanText(file, text).references.length > 0) found++;
      }
    }
    assert.ok(found > 20, `only ${found} fixture files with references`);
  });

  it("lets through every generated file scanText finds a reference in (property)", () => {
    const text = fc
      .array(fc.constantFrom(...lines), { minLength: 1, maxLength: 6 })
      .map((l) => `${l.join("\n")}\n`);
    fc.assert(
      fc.property(fc.constantFrom(...fileNames), text, (file, t) => checkSound(file, t)),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(notebook, (t) => checkSound("tune.ipynb", t)),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(json, (t) => checkSound("fixture.json", t)),
      { numRuns: 500 },
    );
  });

  it("skips what no extractor could read", () => {
    const ctx = { file: "" };
    assert.equal(mayFindReferences("notes.txt", "image: x/y:1\n", ctx), false);
    assert.equal(mayFindReferences("build.sh", "echo hello\n", ctx), false);
    assert.equal(mayFindReferences("data.json", '{"a": "b/c:1"}', ctx), false);
    assert.equal(mayFindReferences("data.json", '{"a": "b/c:1"}', contexts[1]!), false);
    assert.equal(mayFindReferences("data.json", '{"a": "reg.example.com/team/c:1"}', contexts[1]!), true);
  });

  it("no longer misses files without image words: scanRepository finds what scanText finds", async () => {
    // Each file lacks every hint of mayHoldReference, which scanRepository used to require of a file.
    const cases: Array<[string, string, string]> = [
      ["Dockerfile", "from alpine:3.19\n", "alpine:3.19"],
      ["crane.sh", "crane copy a.example/x/y:1 b.example/x/y:1\n", "a.example/x/y:1"],
      ["engine.sh", "$(CONTAINER_ENGINE) build -t reg.example.com/a/b:1 .\n", "reg.example.com/a/b:1"],
      ["hub.sh", "HUB=reg.example.com/team\n", "reg.example.com/team"],
      ["loopback.sh", "MIRROR=[::1]:5000/team/app:1\n", "[::1]:5000/team/app:1"],
      ["escaped.json", '{"a": "gcr\\u002eio/team/app:1"}\n', "gcr.io/team/app:1"],
    ];
    const dir = await mkdtemp(path.join(tmpdir(), "crossdock-prefilter-"));
    try {
      for (const [file, text] of cases) await writeFile(path.join(dir, file), text);
      const found = (await scanRepository(dir)).references.map((o) => `${o.file} ${o.value}`);
      for (const [file, text, value] of cases) {
        assert.ok(found.includes(`${file} ${value}`), `${file}: found ${found.join(", ")}`);
        assert.ok(mayFindReferences(file, text, { file }), file);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

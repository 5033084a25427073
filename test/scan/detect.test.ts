/**
 * Detection: which format reads a file. Each format's rule sits in its folder's `detect.ts`, and
 * `scan/detect.ts` orders them; this table pins the precedence where two rules could both claim a file.
 */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import path from "node:path";
import { it } from "node:test";
import { detectExtractors } from "../../src/scan/detect.js";
import { repoRoot } from "../helpers/paths.js";

const cases: readonly (readonly [file: string, text: string, extractors: string])[] = [
  ["Dockerfile", "", "extractDockerfile"],
  ["build/api.Dockerfile", "", "extractDockerfile"],
  ["Containerfile-arm", "", "extractDockerfile"],
  ["chart/templates/dockerfile.tpl", "{{", "extractDockerfile"],
  ["dockerfile.yaml", "image: a/b:1", "extractDockerfile"],
  ["GNUmakefile", "", "extractMakefile"],
  ["rules.mk", "", "extractMakefile"],
  [".env", "", "extractShell"],
  ["scripts/run.SH", "", "extractShell"],
  [".github/workflows/compose.yaml", "", "extractGithubActions"],
  ["action.yml", "", "extractGithubActions"],
  ["ci/deploy.gitlab-ci.yml", "", "extractGitlabCi"],
  [".gitlab/ci/build.yaml", "", "extractGitlabCi"],
  ["docker-compose.prod.yml", "", "extractCompose"],
  ["overlays/kustomization.yaml", "", "extractKustomize,extractKubernetes"],
  ["chart/templates/kustomization.yaml", "{{ x }}", "extractKustomize,extractKubernetes"],
  ["chart/templates/deployment.yaml", "image: {{ .Values.image }}", "extractHelmTemplate"],
  ["chart/templates/_helpers.tpl", "", "extractHelmTemplate"],
  ["helpers.tpl", "{{", ""],
  ["chart/templates/values.yaml", "image: a/b:1", "extractHelmValues"],
  ["chart/values-prod.yml", "", "extractHelmValues"],
  ["config/images.yaml", "repository: a/b", "extractKubernetes,extractHelmValues"],
  ["config/images.yaml", "imageRegistry: ghcr.io", "extractKubernetes,extractHelmValues"],
  ["manifests/pod.YML", "image: a/b:1", "extractKubernetes"],
  ["demo.ipynb", "", "extractNotebook"],
  ["renovate.json", "", "extractJson"],
  ["docs/a.mdx", "", "extractMarkdown"],
  ["docs/index.rst", "", "extractRestructuredtext"],
  ["cmd/main.go", "", "extractSource"],
  ["build.gradle.kts", "", "extractSource"],
  ["go", "#!/bin/sh\n", "extractSource"],
  ["lib/images.libsonnet", "", "extractJsonnet"],
  ["hack/release", "#!/usr/bin/env bash\n", "extractShell"],
  ["hack/release", "#!/usr/bin/env python3\n", "extractPinFile"],
  ["BASE_IMAGE", "nginx:1.25", "extractPinFile"],
  [".dockerignore", "", ""],
  ["notes.txt", "nginx:1.25", ""],
];

for (const [file, text, expected] of cases) {
  it(`${file} ${JSON.stringify(text.slice(0, 24))} is read by ${expected || "nothing"}`, () => {
    assert.equal(
      detectExtractors(file, text)
        .map((extract) => extract.name)
        .join(","),
      expected,
    );
  });
}

it("every format folder holds its detection and its extractor", () => {
  const scan = path.join(repoRoot, "src", "scan");
  const folders = readdirSync(scan, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== "engine")
    .map((entry) => entry.name);
  assert.ok(folders.length >= 17, `only ${folders.length} format folders`);
  for (const folder of folders) {
    const files = readdirSync(path.join(scan, folder));
    assert.ok(
      files.includes("detect.ts") && files.includes("extract.ts"),
      `${folder}/ lacks detect.ts or extract.ts`,
    );
  }
});

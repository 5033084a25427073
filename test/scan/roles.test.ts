// biome-ignore-all lint/suspicious/noTemplateCurlyInString: shell and template variables are the data under test
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { scanText } from "../../src/scan/scan-text.js";
import type { Role } from "../../src/scan/types.js";
import { fixturePath } from "../helpers/paths.js";

/** line, exact text, role: every reference of a fixture in file order. */
type Row = [number, string, Role];

/**
 * The role of every reference in the form fixtures that hold more than pulls (test/scan/forms.test.ts
 * checks where each is and what it names). A change here changes what verify checks and what the
 * switch rewrites whatever the target holds.
 */
// biome-ignore format: one row per reference reads as a table
const cases: ReadonlyArray<{ file: string; expected: readonly Row[] }> = [
  {
    file: "dockerfile/Dockerfile",
    expected: [
      [1, "docker/dockerfile:1.6", "pull"],
      [2, "docker.io/library/golang:1.22-alpine", "base"],
      [6, "docker.io/library/busybox:1.36", "pull"],
      [11, "alpine:${ALPINE_VERSION}", "base"],
      [12, "gcr.io/distroless/static:nonroot", "pull"],
      [15, "nvcr.io/nvidia/pytorch", "pull"],
    ],
  },
  {
    file: "compose/docker-compose.yml",
    expected: [
      [3, "mysql:8.0", "pull"],
      [7, "${REGISTRY:-docker.io}/library/redis:${REDIS_TAG:-7}", "pull"],
      [10, "ghcr.io/kubeflow/katib/katib-ui:latest", "pull"],
    ],
  },
  {
    file: "github-actions/.github/workflows/publish.yml",
    expected: [
      [6, "node:20-bookworm", "pull"],
      [9, "postgres:16", "pull"],
      [12, "alpine:3.19", "pull"],
      [16, "ghcr.io/kubeflow/katib/ci:v1", "pull"],
      [22, "docker.io/kubeflowkatib/katib-controller", "push"],
      [23, "ghcr.io/kubeflow/katib/katib-controller", "push"],
      [27, "ghcr.io/kubeflow/katib/katib-db-manager:latest", "push"],
      // Built and never pushed in this step (`docker build -t` without --push).
      [29, "docker.io/kubeflowkatib/katib-ui:${{ github.sha }}", "pull"],
    ],
  },
  {
    file: "github-actions/.github/workflows/roles.yml",
    expected: [
      [6, "quay.io/acme/ko", "push"],
      [10, "quay.io/acme/ci:2", "pull"],
      [22, "quay.io/acme/app:latest", "push"],
      [23, "quay.io/acme/app:${{ github.ref_name }}", "push"],
      [26, "ghcr.io/acme/worker:1.0", "push"],
    ],
  },
  {
    file: "makefile/Makefile",
    expected: [
      [2, "docker.io/kubeflowkatib", "pull"],
      [4, "controller:latest", "push"],
      [8, "${KATIB_REGISTRY}/katib-controller:${TAG}", "pull"],
      [13, "mysql:8.0.36", "pull"],
      [14, "mysql:8.0.36", "pull"],
      [14, "localhost:5000/mysql:8.0.36", "push"],
    ],
  },
  {
    file: "makefile/push.mk",
    expected: [
      [2, "example.io/acme", "push"],
      [4, "example.io/acme/base:1", "pull"],
      [5, "example.io/acme/ko", "push"],
      [8, "$(REGISTRY)/app:$(TAG)", "push"],
      [9, "$(REGISTRY)/app:$(TAG)", "push"],
      [13, "example.io/acme/mirror/base:1", "push"],
      [14, "example.io/acme/podman-app:1", "push"],
    ],
  },
  {
    file: "shell/push.sh",
    expected: [
      [4, "registry.example.com/acme/tool:3", "pull"],
      [5, "registry.example.com/acme/web:1.2", "push"],
      [6, "registry.example.com/acme/web:1.2", "push"],
      [7, "registry.example.com/acme/web:1.2", "push"],
      [7, "registry.example.com/acme/web:stable", "push"],
      [8, "registry.example.com/acme/multi:1", "push"],
      [8, "registry.example.com/acme/multi:1-amd64", "pull"],
      [9, "registry.example.com/acme/index:1", "push"],
    ],
  },
  {
    file: "kubernetes/build-tools/skaffold.yaml",
    expected: [[5, "example.io/acme/skaffold-app", "push"]],
  },
  {
    file: "kubernetes/build-tools/.goreleaser.yaml",
    expected: [
      [4, "example.io/acme/gorel:{{ .Version }}-amd64", "push"],
      [7, "example.io/acme/gorel:{{ .Version }}", "push"],
      [9, "example.io/acme/gorel:{{ .Version }}-amd64", "push"],
    ],
  },
  {
    file: "kubernetes/build-tools/.ko.yaml",
    expected: [
      [1, "cgr.dev/chainguard/static:latest", "base"],
      [3, "example.io/acme/tool-base:1", "base"],
    ],
  },
];

async function scanFixture(file: string) {
  return scanText(file, await readFile(fixturePath("scan", "forms", ...file.split("/")), "utf8"));
}

describe("scan: each reference's role (pull, base, push)", () => {
  for (const { file, expected } of cases) {
    it(file, async () => {
      const rows = (await scanFixture(file)).references.map((o): Row => [o.line, o.text, o.role]);
      assert.deepEqual(rows, expected);
    });
  }

  it("a manifest's image is a pull, as it is outside build tools' files", () => {
    const text = "spec:\n  containers:\n    - image: example.io/acme/app:1\n";
    assert.deepEqual(
      scanText("deploy/app.yaml", text).references.map((o) => o.role),
      ["pull"],
    );
    assert.deepEqual(
      scanText("skaffold.yaml", "build:\n  artifacts:\n    - image: example.io/acme/app\n").references.map(
        (o) => o.role,
      ),
      ["push"],
    );
  });
});

describe("scan: log-ins to registries", () => {
  it("docker/login-action steps (Docker Hub when no registry is named) and `docker login` in run scripts", async () => {
    const logins = (await scanFixture("github-actions/.github/workflows/roles.yml")).logins;
    assert.deepEqual(
      logins.map((l) => [l.line, l.column, l.registry, l.context]),
      [
        [12, 15, "docker.io", "docker/login-action"],
        [15, 21, "quay.io", "docker/login-action"],
        [25, 40, "ghcr.io", "docker login"],
      ],
    );
  });

  it("`docker login` in Makefiles and scripts, past its options", async () => {
    assert.deepEqual(
      (await scanFixture("makefile/push.mk")).logins.map((l) => [l.line, l.registry]),
      [[17, "example.io"]],
    );
    assert.deepEqual(
      (await scanFixture("shell/push.sh")).logins.map((l) => [l.line, l.registry]),
      [[10, "registry.example.com"]],
    );
  });

  it("not in docs: a README telling the reader to log in is no CI step", () => {
    assert.deepEqual(scanText("README.md", "Run `docker login ghcr.io` first.\n").logins, []);
  });
});

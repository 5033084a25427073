// biome-ignore-all lint/suspicious/noTemplateCurlyInString: shell and template variables are the data under test
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { formatReference } from "../../src/reference/reference.js";
import { scanText } from "../../src/scan/scan-text.js";
import type { Form, ReferenceKind } from "../../src/scan/types.js";
import { walkRepository } from "../../src/scan/walk.js";
import { fixturePath } from "../helpers/paths.js";

/** line, column, exact text, form, kind, normalized reference (or prefix; "" for a partial one). */
type Row = [number, number, string, Form, ReferenceKind, string];

const formsRoot = fixturePath("scan", "forms");

/**
 * Every reference in every form fixture, in file order. A change here is a change in what a
 * migration edits: review each row against the fixture.
 */
// biome-ignore format: one row per reference reads as a table
const cases: ReadonlyArray<{ file: string; expected: readonly Row[]; problems?: readonly string[] }> = [
  {
    file: "compose/docker-compose.yml",
    expected: [
      [3, 12, "mysql:8.0", "compose", "complete", "docker.io/library/mysql:8.0"],
      [7, 12, "${REGISTRY:-docker.io}/library/redis:${REDIS_TAG:-7}", "compose", "partial", "docker.io/library/redis:7"],
      [10, 12, "ghcr.io/kubeflow/katib/katib-ui:latest", "compose", "complete", "ghcr.io/kubeflow/katib/katib-ui:latest"],
    ],
  },
  {
    file: "dockerfile/Containerfile.ui",
    expected: [
      [1, 6, "node:20", "dockerfile", "complete", "docker.io/library/node:20"],
      [3, 6, "registry.access.redhat.com/ubi9/ubi-minimal:9.3", "dockerfile", "complete", "registry.access.redhat.com/ubi9/ubi-minimal:9.3"],
    ],
  },
  {
    file: "dockerfile/Dockerfile",
    expected: [
      [1, 10, "docker/dockerfile:1.6", "dockerfile", "complete", "docker.io/docker/dockerfile:1.6"],
      [2, 16, "docker.io/library/golang:1.22-alpine", "dockerfile", "complete", "docker.io/library/golang:1.22-alpine"],
      [6, 49, "docker.io/library/busybox:1.36", "dockerfile", "complete", "docker.io/library/busybox:1.36"],
      [11, 6, "alpine:${ALPINE_VERSION}", "dockerfile", "partial", "docker.io/library/alpine:3.19"],
      [12, 13, "gcr.io/distroless/static:nonroot", "dockerfile", "complete", "gcr.io/distroless/static:nonroot"],
      [15, 33, "nvcr.io/nvidia/pytorch", "dockerfile", "complete", "nvcr.io/nvidia/pytorch"],
    ],
  },
  {
    file: "github-actions/.github/workflows/publish.yml",
    expected: [
      [6, 16, "node:20-bookworm", "github-actions", "complete", "docker.io/library/node:20-bookworm"],
      [9, 16, "postgres:16", "github-actions", "complete", "docker.io/library/postgres:16"],
      [12, 24, "alpine:3.19", "github-actions", "complete", "docker.io/library/alpine:3.19"],
      [16, 14, "ghcr.io/kubeflow/katib/ci:v1", "github-actions", "complete", "ghcr.io/kubeflow/katib/ci:v1"],
      [22, 13, "docker.io/kubeflowkatib/katib-controller", "github-actions", "complete", "docker.io/kubeflowkatib/katib-controller"],
      [23, 18, "ghcr.io/kubeflow/katib/katib-controller", "github-actions", "complete", "ghcr.io/kubeflow/katib/katib-controller"],
      [27, 48, "ghcr.io/kubeflow/katib/katib-db-manager:latest", "github-actions", "complete", "ghcr.io/kubeflow/katib/katib-db-manager:latest"],
      [29, 27, "docker.io/kubeflowkatib/katib-ui:${{ github.sha }}", "github-actions", "partial", ""],
    ],
  },
  {
    file: "gitlab-ci/.gitlab-ci.yml",
    expected: [
      [1, 8, "docker.io/library/python:3.12", "gitlab-ci", "complete", "docker.io/library/python:3.12"],
      [3, 5, "postgres:16", "gitlab-ci", "complete", "docker.io/library/postgres:16"],
      [4, 11, "registry.gitlab.com/acme/tools/mock:1.0", "gitlab-ci", "complete", "registry.gitlab.com/acme/tools/mock:1.0"],
      [8, 11, "gcr.io/kaniko-project/executor:debug", "gitlab-ci", "complete", "gcr.io/kaniko-project/executor:debug"],
      [11, 19, "registry.gitlab.com/acme/app:$CI_COMMIT_SHA", "gitlab-ci", "partial", ""],
    ],
  },
  {
    file: "helm-template/templates/deployment.yaml",
    expected: [
      [8, 19, "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}", "helm-template", "partial", ""],
      [12, 18, "docker.io/library/busybox:1.36", "helm-template", "complete", "docker.io/library/busybox:1.36"],
      [14, 55, "ghcr.io/acme/notebook:v1.2", "helm-template", "complete", "ghcr.io/acme/notebook:v1.2"],
      [16, 31, "quay.io/acme/exporter:v0.3", "helm-template", "complete", "quay.io/acme/exporter:v0.3"],
    ],
  },
  {
    // A chart's test pod names its image bare; an all-template value names none.
    file: "helm-template/templates/tests/test-connection.yaml",
    expected: [[10, 14, "busybox", "helm-template", "complete", "docker.io/library/busybox"]],
  },
  {
    file: "helm-values/values.yaml",
    expected: [
      [2, 18, "docker.io", "helm-values", "prefix", "docker.io"],
      [4, 13, "docker.io\n  repository: bitnami/mysql\n  tag: 8.0.36", "helm-values", "complete", "docker.io/bitnami/mysql:8.0.36"],
      [11, 17, "prom/mysqld-exporter\n    tag: \"v0.15.1", "helm-values", "complete", "docker.io/prom/mysqld-exporter:v0.15.1"],
      [14, 10, "busybox:1.36", "helm-values", "complete", "docker.io/library/busybox:1.36"],
    ],
  },
  {
    file: "helm-values/global-registry/values.yaml",
    expected: [
      [5, 15, "registry.example.io", "helm-values", "prefix", "registry.example.io"],
      [9, 17, "ingress/controller\n    tag: v1.9.4", "helm-values", "partial", "registry.example.io/ingress/controller:v1.9.4"],
      [14, 17, "ingress/webhook\n    tag: v1.9.4", "helm-values", "partial", "registry.example.io/ingress/webhook:v1.9.4"],
      [19, 15, "registry.example.io\n    repository: defaultbackend-amd64\n    tag: \"1.5", "helm-values", "complete", "registry.example.io/defaultbackend-amd64:1.5"],
    ],
  },
  {
    file: "helm-values/name-tag/values.yaml",
    expected: [
      [3, 9, "traefik\n  tag: v2.10", "helm-values", "complete", "docker.io/library/traefik:v2.10"],
    ],
  },
  {
    file: "json/.devcontainer/devcontainer.json",
    expected: [
      [5, 13, "mcr.microsoft.com/devcontainers/go:1.22-bookworm", "json", "complete", "mcr.microsoft.com/devcontainers/go:1.22-bookworm"],
      [9, 37, "docker.io/kubeflowkatib/katib-ui:v0.17.0", "json", "complete", "docker.io/kubeflowkatib/katib-ui:v0.17.0"],
    ],
  },
  {
    file: "json/fixture.json",
    expected: [
      [3, 13, "docker.io/kubeflowkatib/suggestion-skopt:v0.17.0", "json", "complete", "docker.io/kubeflowkatib/suggestion-skopt:v0.17.0"],
      [4, 15, "mysql:8.0", "json", "complete", "docker.io/library/mysql:8.0"],
      [4, 28, "ghcr.io/kubeflow/katib/katib-ui:v1", "json", "complete", "ghcr.io/kubeflow/katib/katib-ui:v1"],
      [6, 80, "docker.io/kubeflowkatib/enas-cnn-cifar10-cpu:v0.17.0", "json", "complete", "docker.io/kubeflowkatib/enas-cnn-cifar10-cpu:v0.17.0"],
      [7, 27, "quay.io/prometheus/node-exporter:v1.7.0", "json", "complete", "quay.io/prometheus/node-exporter:v1.7.0"],
      [9, 32, "docker.io/kubeflowkatib/nested:v1", "json", "complete", "docker.io/kubeflowkatib/nested:v1"],
    ],
  },
  {
    file: "jsonnet/katib.libsonnet",
    expected: [
      [2, 19, "docker.io/kubeflowkatib", "jsonnet", "prefix", "docker.io/kubeflowkatib"],
      [8, 13, "mysql:8.0.36", "jsonnet", "complete", "docker.io/library/mysql:8.0.36"],
      [9, 25, "quay.io/prometheus/mysqld-exporter:v0.15.1", "jsonnet", "complete", "quay.io/prometheus/mysqld-exporter:v0.15.1"],
    ],
  },
  {
    // A helm-unittest snapshot: rendered manifests as block strings.
    file: "kubernetes/tests/__snapshot__/deployment_test.yaml.snap",
    expected: [
      [12, 34, "registry.example.io/acme/solver:v0.0.0", "kubernetes", "complete", "registry.example.io/acme/solver:v0.0.0"],
      [13, 22, "registry.example.io/acme/webhook:v0.0.0", "kubernetes", "complete", "registry.example.io/acme/webhook:v0.0.0"],
    ],
  },
  {
    file: "kubernetes/chartpress.yaml",
    expected: [[4, 18, "ghcr.io/kubeflow/katib", "kubernetes", "prefix", "ghcr.io/kubeflow/katib"]],
  },
  {
    file: "kubernetes/commented.yaml",
    expected: [
      [10, 18, "docker.io/kubeflowkatib/katib-ui:v0.17.0", "kubernetes", "complete", "docker.io/kubeflowkatib/katib-ui:v0.17.0"],
      [12, 20, "docker.io/kubeflowkatib/katib-ui:latest", "kubernetes", "complete", "docker.io/kubeflowkatib/katib-ui:latest"],
      [16, 19, "busybox:1.36", "kubernetes", "complete", "docker.io/library/busybox:1.36"],
      [19, 16, "nvidia/dcgm-exporter:1.4.3", "kubernetes", "complete", "docker.io/nvidia/dcgm-exporter:1.4.3"],
      [20, 17, "nginx", "kubernetes", "complete", "docker.io/library/nginx"],
    ],
  },
  {
    file: "kubernetes/configmap.yaml",
    expected: [
      [10, 18, "docker.io/kubeflowkatib/file-metrics-collector:v0.17.0", "kubernetes", "complete", "docker.io/kubeflowkatib/file-metrics-collector:v0.17.0"],
      [13, 19, "docker.io/kubeflowkatib/suggestion-hyperopt:v0.17.0", "kubernetes", "complete", "docker.io/kubeflowkatib/suggestion-hyperopt:v0.17.0"],
      [16, 25, "docker.io/kubeflowkatib/suggestion-hyperopt:v0.17.0", "kubernetes", "complete", "docker.io/kubeflowkatib/suggestion-hyperopt:v0.17.0"],
      [18, 27, "docker.io/kubeflowkatib/earlystopping-medianstop:v0.17.0", "kubernetes", "complete", "docker.io/kubeflowkatib/earlystopping-medianstop:v0.17.0"],
    ],
  },
  {
    file: "kubernetes/experiment.yaml",
    expected: [
      [16, 24, "docker.io/kubeflowkatib/pytorch-mnist-cpu:v0.17.0", "kubernetes", "complete", "docker.io/kubeflowkatib/pytorch-mnist-cpu:v0.17.0"],
      [27, 17, "ghcr.io/argoproj/argoexec:v3.5.0", "kubernetes", "complete", "ghcr.io/argoproj/argoexec:v3.5.0"],
      [28, 25, "quay.io/prometheus/busybox:latest", "kubernetes", "complete", "quay.io/prometheus/busybox:latest"],
      [35, 15, "gcr.io/kaniko-project/executor@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "kubernetes", "complete", "gcr.io/kaniko-project/executor@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"],
      [37, 11, "registry.k8s.io/pause:3.9", "kubernetes", "complete", "registry.k8s.io/pause:3.9"],
      [38, 11, "mysql:8.0", "kubernetes", "complete", "docker.io/library/mysql:8.0"],
      [41, 21, "postgres:16.2", "kubernetes", "complete", "docker.io/library/postgres:16.2"],
    ],
  },
  {
    file: "kubernetes/flow-quoted.yaml",
    expected: [
      [7, 14, "docker.io/kubeflowkatib/first:v1", "kubernetes", "complete", "docker.io/kubeflowkatib/first:v1"],
      [11, 14, "docker.io/kubeflowkatib/second:v1", "kubernetes", "complete", "docker.io/kubeflowkatib/second:v1"],
      [13, 14, "busybox", "kubernetes", "complete", "docker.io/library/busybox"],
      [19, 14, "docker.io/kubeflowkatib/third:v1", "kubernetes", "complete", "docker.io/kubeflowkatib/third:v1"],
    ],
    problems: ['8: YAML: Missing closing "quote; the rest of the document is read line by line'],
  },
  {
    // JSON values in a ConfigMap: a bare "image" under a "hub" (its own, else global's) is a split reference.
    file: "kubernetes/mesh-values.yaml",
    expected: [
      [9, 17, "quay.io/example-mesh", "kubernetes", "prefix", "quay.io/example-mesh"],
      [12, 21, "proxy", "kubernetes", "partial", "quay.io/example-mesh/proxy:1.4.2"],
      [16, 21, "proxy", "kubernetes", "partial", "quay.io/example-mesh/proxy:1.4.2"],
      [21, 19, "pilot", "kubernetes", "partial", "quay.io/example-mesh/pilot:1.4.2"],
      [26, 19, "edge", "kubernetes", "partial", "registry.example.io/gateways/edge:2.0"],
    ],
  },
  {
    file: "kubernetes/pipeline-spec.yaml",
    expected: [
      [5, 29, "python:3.11", "kubernetes", "complete", "docker.io/library/python:3.11"],
      [7, 29, "docker.io/kubeflowkatib/eval:v1", "kubernetes", "complete", "docker.io/kubeflowkatib/eval:v1"],
      [9, 34, "gcr.io/ml-pipeline/trainer:2.0", "kubernetes", "complete", "gcr.io/ml-pipeline/trainer:2.0"],
      [11, 69, "pytorch/pytorch:2.1.0-cuda12.1", "kubernetes", "complete", "docker.io/pytorch/pytorch:2.1.0-cuda12.1"],
    ],
  },
  {
    // ytt: `#@` after a key sets the value; `{}` are .format() fields.
    file: "kubernetes/ytt-overlay.yaml",
    expected: [
      [11, 22, "docker.io/acme/webhook-{}:{}", "kubernetes", "partial", ""],
    ],
  },
  {
    file: "kubernetes/unicode.yaml",
    expected: [
      [10, 15, "docker.io/kubeflowkatib/katib-controller:v0.17.0", "kubernetes", "complete", "docker.io/kubeflowkatib/katib-controller:v0.17.0"],
    ],
  },
  {
    file: "kustomize/kustomization.yaml",
    expected: [
      [6, 11, "docker.io/kubeflowkatib/katib-controller\n    newName: docker.io/kubeflowkatib/katib-controller\n    newTag: v0.17.0", "kustomize", "complete", "docker.io/kubeflowkatib/katib-controller:v0.17.0"],
      [9, 11, "mysql\n    newTag: \"8.0", "kustomize", "complete", "docker.io/library/mysql:8.0"],
      [11, 11, "postgres\n    digest: sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "kustomize", "complete", "docker.io/library/postgres@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"],
    ],
  },
  {
    file: "makefile/Makefile",
    expected: [
      [2, 19, "docker.io/kubeflowkatib", "makefile", "prefix", "docker.io/kubeflowkatib"],
      [4, 8, "controller:latest", "makefile", "complete", "docker.io/library/controller:latest"],
      [8, 18, "${KATIB_REGISTRY}/katib-controller:${TAG}", "makefile", "partial", ""],
      [13, 37, "mysql:8.0.36", "makefile", "complete", "docker.io/library/mysql:8.0.36"],
      [14, 13, "mysql:8.0.36", "makefile", "complete", "docker.io/library/mysql:8.0.36"],
      [14, 26, "localhost:5000/mysql:8.0.36", "makefile", "complete", "localhost:5000/mysql:8.0.36"],
    ],
  },
  {
    file: "markdown/README.md",
    expected: [
      [3, 25, "docker.io/kubeflowkatib", "markdown", "prefix", "docker.io/kubeflowkatib"],
      [3, 66, "ghcr.io/kubeflow/katib/", "markdown", "prefix", "ghcr.io/kubeflow/katib"],
      [7, 13, "docker.io/kubeflowkatib/katib-controller:v0.17.0", "markdown", "complete", "docker.io/kubeflowkatib/katib-controller:v0.17.0"],
      [8, 21, "mysql:8.0", "markdown", "complete", "docker.io/library/mysql:8.0"],
      [14, 14, "kubeflowkatib/katib-ui:v0.17.0", "markdown", "complete", "docker.io/kubeflowkatib/katib-ui:v0.17.0"],
      [18, 6, "python:3.11-slim", "markdown", "complete", "docker.io/library/python:3.11-slim"],
      [21, 13, "postgres:16", "markdown", "complete", "docker.io/library/postgres:16"],
    ],
  },
  {
    file: "markdown/quickstart.md",
    expected: [
      [11, 14, "busybox", "markdown", "complete", "docker.io/library/busybox"],
      [27, 20, "alpine", "markdown", "complete", "docker.io/library/alpine"],
    ],
  },
  {
    file: "markdown/unicode.md",
    expected: [
      [3, 28, "docker.io/kubeflowkatib/katib-ui:v0.17.0", "markdown", "complete", "docker.io/kubeflowkatib/katib-ui:v0.17.0"],
      [3, 79, "quay.io/kubeflow/katib-ui:v1", "markdown", "complete", "quay.io/kubeflow/katib-ui:v1"],
    ],
  },
  {
    file: "notebook/tune.ipynb",
    expected: [
      [8, 47, "docker.io/kubeflowkatib/pytorch-mnist-cpu:v0.17.0", "notebook", "complete", "docker.io/kubeflowkatib/pytorch-mnist-cpu:v0.17.0"],
      [19, 16, "docker.io/kubeflowkatib/output-only:v1", "notebook", "complete", "docker.io/kubeflowkatib/output-only:v1"],
      [23, 19, "mysql:8.0", "notebook", "complete", "docker.io/library/mysql:8.0"],
      [24, 39, "docker.io/kubeflowkatib/katib-tune:v0.17.0", "notebook", "complete", "docker.io/kubeflowkatib/katib-tune:v0.17.0"],
      [25, 45, "ghcr.io/kubeflow/katib/katib-ui:v1", "notebook", "complete", "ghcr.io/kubeflow/katib/katib-ui:v1"],
      [37, 20, "example/trainer:v1", "notebook", "complete", "docker.io/example/trainer:v1"],
    ],
  },
  {
    // An extension-less env file of key=value lines, read as assignments.
    file: "pin-file/.github/env",
    expected: [
      [4, 12, "kindest/node:v1.30.0", "pin-file", "complete", "docker.io/kindest/node:v1.30.0"],
      [5, 10, "ghcr.io/acme", "pin-file", "prefix", "ghcr.io/acme"],
    ],
  },
  {
    file: "pin-file/NGINX_BASE",
    expected: [
      [1, 1, "nginx:1.25-alpine", "pin-file", "complete", "docker.io/library/nginx:1.25-alpine"],
    ],
  },
  {
    file: "pin-file/images/BASE_IMAGE",
    expected: [
      [1, 1, "registry.access.redhat.com/ubi9/ubi-minimal", "pin-file", "complete", "registry.access.redhat.com/ubi9/ubi-minimal"],
    ],
  },
  {
    file: "restructuredtext/index.rst",
    expected: [
      [4, 27, "docker.io/kubeflowkatib/katib-controller:v0.17.0", "restructuredtext", "complete", "docker.io/kubeflowkatib/katib-controller:v0.17.0"],
      [9, 20, "ghcr.io/kubeflow/katib/katib-ui:v1", "restructuredtext", "complete", "ghcr.io/kubeflow/katib/katib-ui:v1"],
      [13, 12, "kubeflowkatib/suggestion-hyperopt:v0.17.0", "restructuredtext", "complete", "docker.io/kubeflowkatib/suggestion-hyperopt:v0.17.0"],
    ],
  },
  {
    file: "shell/helm-install.sh",
    expected: [
      [3, 26, "docker.io/kubeflowkatib/katib-controller", "shell", "complete", "docker.io/kubeflowkatib/katib-controller"],
      [5, 24, "quay.io/jupyterhub/k8s-hub", "shell", "complete", "quay.io/jupyterhub/k8s-hub"],
      [6, 25, "ghcr.io/kubeflow/katib/katib-ui:v1", "shell", "complete", "ghcr.io/kubeflow/katib/katib-ui:v1"],
    ],
  },
  {
    // kubectl's --image takes a bare name (`--image=busybox`); other flags' values are not images.
    file: "shell/kubectl.sh",
    expected: [
      [2, 33, "busybox", "shell", "complete", "docker.io/library/busybox"],
      [3, 39, "nginx:1.27", "shell", "complete", "docker.io/library/nginx:1.27"],
    ],
  },
  {
    // jq string interpolation in a pinned digest.
    file: "shell/latest-node-images.sh",
    expected: [
      [3, 61, "docker.io/kindest/node@sha256:\\(.sha256)", "shell", "partial", ""],
    ],
  },
  {
    file: "shell/release.sh",
    expected: [
      [3, 13, "docker.io/kubeflowkatib/", "shell", "prefix", "docker.io/kubeflowkatib"],
      [4, 13, "ghcr.io/kubeflow/katib/", "shell", "prefix", "ghcr.io/kubeflow/katib"],
      [9, 71, "mysql:8.0", "shell", "complete", "docker.io/library/mysql:8.0"],
      [10, 24, "docker.io/kubeflowkatib/katib-db-manager:latest", "shell", "complete", "docker.io/kubeflowkatib/katib-db-manager:latest"],
      [11, 12, "docker.io/kubeflowkatib/katib-ui:v0.17.0", "shell", "complete", "docker.io/kubeflowkatib/katib-ui:v0.17.0"],
      [11, 53, "ghcr.io/kubeflow/katib/katib-ui:v0.17.0", "shell", "complete", "ghcr.io/kubeflow/katib/katib-ui:v0.17.0"],
      [12, 22, "quay.io/argoproj/argocli:v3.5.0", "shell", "complete", "quay.io/argoproj/argocli:v3.5.0"],
      [14, 27, "quay.io/acme/tools:v1", "shell", "complete", "quay.io/acme/tools:v1"],
    ],
  },
  {
    file: "source/Images.java",
    expected: [
      [4, 28, "docker.io/kubeflowkatib/katib-controller", "source", "complete", "docker.io/kubeflowkatib/katib-controller"],
      [5, 44, "docker.io/kubeflowkatib/katib-controller:v0.17.0", "source", "complete", "docker.io/kubeflowkatib/katib-controller:v0.17.0"],
      [8, 16, "quay.io/kubeflow/katib-db-manager:v1", "source", "complete", "quay.io/kubeflow/katib-db-manager:v1"],
    ],
  },
  {
    file: "source/client.py",
    expected: [
      [5, 52, "docker.io/kubeflowkatib/katib-tune:v0.17.0", "source", "complete", "docker.io/kubeflowkatib/katib-tune:v0.17.0"],
      [6, 10, "ghcr.io/kubeflow/katib/suggestion-optuna:latest", "source", "complete", "ghcr.io/kubeflow/katib/suggestion-optuna:latest"],
      [9, 13, "docker.io/kubeflowkatib/pytorch-mnist-gpu:v0.17.0", "source", "complete", "docker.io/kubeflowkatib/pytorch-mnist-gpu:v0.17.0"],
    ],
  },
  {
    file: "source/containers_test.go",
    expected: [
      [9, 55, "envoy", "source", "complete", "docker.io/library/envoy"],
      [13, 32, "postgres:17.4-alpine", "source", "complete", "docker.io/library/postgres:17.4-alpine"],
      [14, 19, "nginx:1.25", "source", "complete", "docker.io/library/nginx:1.25"],
      [15, 35, "busybox:1.36", "source", "complete", "docker.io/library/busybox:1.36"],
    ],
  },
  {
    // Test code: a table's made-up host with a tag or digest is an image; stand-ins are not.
    file: "source/defaults_test.go",
    expected: [
      [14, 15, "registry.example/team/app:v1.2.0", "source", "complete", "registry.example/team/app:v1.2.0"],
      [18, 15, "registry.example/team/app@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "source", "complete", "registry.example/team/app@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"],
      [28, 53, "nginx", "source", "complete", "docker.io/library/nginx"],
      [29, 32, "postgres:17.4-alpine", "source", "complete", "docker.io/library/postgres:17.4-alpine"],
    ],
  },
  {
    file: "source/images.go",
    expected: [
      [9, 57, "docker.io/kubeflowkatib", "source", "prefix", "docker.io/kubeflowkatib"],
      [10, 21, "docker.io/kubeflowkatib/pytorch-mnist-cpu:v0.17.0", "source", "complete", "docker.io/kubeflowkatib/pytorch-mnist-cpu:v0.17.0"],
      [12, 57, "mysql:8.0", "source", "complete", "docker.io/library/mysql:8.0"],
      [20, 18, "docker.io/kubeflowkatib/mxnet-mnist:latest", "source", "complete", "docker.io/kubeflowkatib/mxnet-mnist:latest"],
      [23, 35, "docker.io/kubeflowkatib/tfevent-metrics-collector:v0.17.0", "source", "complete", "docker.io/kubeflowkatib/tfevent-metrics-collector:v0.17.0"],
    ],
  },
  {
    file: "source/jobs.py",
    expected: [
      [4, 47, "alpine", "source", "complete", "docker.io/library/alpine"],
      [7, 12, "envoyproxy/envoy", "source", "complete", "docker.io/envoyproxy/envoy"],
      [9, 25, "postgres:16", "source", "complete", "docker.io/library/postgres:16"],
    ],
  },
  {
    file: "source/images.ts",
    expected: [
      [2, 25, "docker.io/kubeflowkatib/katib-ui:v0.17.0", "source", "complete", "docker.io/kubeflowkatib/katib-ui:v0.17.0"],
      [3, 39, "mysql:8.0", "source", "complete", "docker.io/library/mysql:8.0"],
    ],
  },
  // Made-up fixtures of each role's forms: test/scan/roles.test.ts checks the role of each row.
  {
    file: "github-actions/.github/workflows/roles.yml",
    expected: [
      [6, 19, "quay.io/acme/ko", "github-actions", "prefix", "quay.io/acme/ko"],
      [10, 16, "quay.io/acme/ci:2", "github-actions", "complete", "quay.io/acme/ci:2"],
      [22, 13, "quay.io/acme/app:latest", "github-actions", "complete", "quay.io/acme/app:latest"],
      [23, 13, "quay.io/acme/app:${{ github.ref_name }}", "github-actions", "partial", ""],
      [26, 64, "ghcr.io/acme/worker:1.0", "github-actions", "complete", "ghcr.io/acme/worker:1.0"],
    ],
  },
  {
    file: "kubernetes/build-tools/.goreleaser.yaml",
    expected: [
      [4, 10, "example.io/acme/gorel:{{ .Version }}-amd64", "kubernetes", "partial", ""],
      [7, 21, "example.io/acme/gorel:{{ .Version }}", "kubernetes", "partial", ""],
      [9, 10, "example.io/acme/gorel:{{ .Version }}-amd64", "kubernetes", "partial", ""],
    ],
  },
  {
    file: "kubernetes/build-tools/.ko.yaml",
    expected: [
      [1, 19, "cgr.dev/chainguard/static:latest", "kubernetes", "complete", "cgr.dev/chainguard/static:latest"],
      [3, 29, "example.io/acme/tool-base:1", "kubernetes", "complete", "example.io/acme/tool-base:1"],
    ],
  },
  {
    file: "kubernetes/build-tools/skaffold.yaml",
    expected: [
      [5, 14, "example.io/acme/skaffold-app", "kubernetes", "complete", "example.io/acme/skaffold-app"],
    ],
  },
  {
    file: "makefile/push.mk",
    expected: [
      [2, 13, "example.io/acme", "makefile", "prefix", "example.io/acme"],
      [4, 13, "example.io/acme/base:1", "makefile", "complete", "example.io/acme/base:1"],
      [5, 19, "example.io/acme/ko", "makefile", "prefix", "example.io/acme/ko"],
      [8, 18, "$(REGISTRY)/app:$(TAG)", "makefile", "partial", ""],
      [9, 14, "$(REGISTRY)/app:$(TAG)", "makefile", "partial", ""],
      [13, 25, "example.io/acme/mirror/base:1", "makefile", "complete", "example.io/acme/mirror/base:1"],
      [14, 25, "example.io/acme/podman-app:1", "makefile", "complete", "example.io/acme/podman-app:1"],
    ],
  },
  {
    file: "shell/push.sh",
    expected: [
      [4, 17, "registry.example.com/acme/tool:3", "shell", "complete", "registry.example.com/acme/tool:3"],
      [5, 17, "registry.example.com/acme/web:1.2", "shell", "complete", "registry.example.com/acme/web:1.2"],
      [6, 13, "registry.example.com/acme/web:1.2", "shell", "complete", "registry.example.com/acme/web:1.2"],
      [7, 12, "registry.example.com/acme/web:1.2", "shell", "complete", "registry.example.com/acme/web:1.2"],
      [7, 46, "registry.example.com/acme/web:stable", "shell", "complete", "registry.example.com/acme/web:stable"],
      [8, 24, "registry.example.com/acme/multi:1", "shell", "complete", "registry.example.com/acme/multi:1"],
      [8, 58, "registry.example.com/acme/multi:1-amd64", "shell", "complete", "registry.example.com/acme/multi:1-amd64"],
      [9, 36, "registry.example.com/acme/index:1", "shell", "complete", "registry.example.com/acme/index:1"],
    ],
  },
];

async function scanFixture(root: string, file: string) {
  return scanText(file, await readFile(`${root}/${file}`, "utf8"));
}

describe("scan: every form fixture yields exactly its references", () => {
  for (const { file, expected } of cases) {
    it(file, async () => {
      const result = await scanFixture(formsRoot, file);
      assert.deepEqual(
        result.problems.map((p) => `${p.line}: ${p.message}`),
        cases.find((c) => c.file === file)?.problems ?? [],
      );
      const rows = result.references.map(
        (o): Row => [
          o.line,
          o.column,
          o.text,
          o.form,
          o.kind,
          o.reference !== undefined ? formatReference(o.reference) : (o.prefix ?? ""),
        ],
      );
      assert.deepEqual(rows, expected);
    });
  }

  it("covers every fixture file and every form", async () => {
    const files = await walkRepository(formsRoot);
    assert.deepEqual(files, cases.map((c) => c.file).sort());
    const forms = new Set(cases.flatMap((c) => c.expected.map((row) => row[3])));
    for (const form of [
      "kubernetes",
      "kustomize",
      "helm-values",
      "helm-template",
      "dockerfile",
      "compose",
      "github-actions",
      "gitlab-ci",
      "makefile",
      "shell",
      "source",
      "json",
      "notebook",
      "markdown",
      "restructuredtext",
      "jsonnet",
      "pin-file",
    ] as const) {
      assert.ok(forms.has(form), `no fixture yields a ${form} reference`);
    }
  });
});

describe("scan: negative fixtures yield nothing", () => {
  const negativeRoot = fixturePath("scan", "negative");
  it("URLs, paths, Go imports, timestamps, key:value pairs and versions are not references", async () => {
    const files = await walkRepository(negativeRoot);
    assert.ok(files.length >= 4);
    for (const file of files) {
      const result = await scanFixture(negativeRoot, file);
      assert.deepEqual(
        result.references.map((o) => `${file}:${o.line}:${o.column} ${o.text}`),
        [],
      );
    }
  });
});

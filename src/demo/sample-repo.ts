import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

/** The registry hosts the sample repository refers to; known only once the registries listen. */
export interface SampleRepoHosts {
  /** The "Docker Hub", `127.0.0.1:PORT`. */
  readonly hub: string;
  /** The "GHCR", `127.0.0.1:PORT`. */
  readonly ghcr: string;
}

/** The reference the notebook pins that nobody ever published: the migration's verify must catch it. */
export const unpublishedImage = { repository: "demo/pytorch-mnist", tag: "v0.12.0" } as const;

/** The file that pins the unpublished tag. */
export const unpublishedFile = "examples/v1beta1/sdk/tune.ipynb";

/** The namespace the own images move to on the "GHCR", and where third-party images are mirrored. */
export function demoTargets(hosts: SampleRepoHosts): { own: string; mirror: string } {
  return { own: `${hosts.ghcr}/demo-org/katib`, mirror: `${hosts.ghcr}/demo-org/katib/mirror` };
}

/**
 * The files of the sample repository, path to text: a small Katib-shaped project that refers to
 * its images in every form crossdock rewrites (manifests, a ConfigMap with embedded YAML and JSON,
 * an Experiment, kustomize, Helm values with split fields, Dockerfiles, a Makefile, a workflow,
 * a script, Go source, a notebook, docs), a release workflow, and its crossdock.yaml.
 */
export function sampleRepoFiles(hosts: SampleRepoHosts): Record<string, string> {
  const h = hosts.hub;
  const { own, mirror } = demoTargets(hosts);
  const deployment = (name: string, image: string, extra = ""): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: kubeflow
spec:
  replicas: 1
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: ${name}
          image: ${image}
          imagePullPolicy: IfNotPresent${extra}
`;
  const dockerfile = (
    binary: string,
  ): string => `# Built by \`make images\`; the base images come from the same registry as everything else.
FROM ${h}/library/golang:1.22 AS build
WORKDIR /go/src/github.com/demo/katib
COPY . .
RUN CGO_ENABLED=0 go build -o /bin/${binary} ./cmd/${binary}

FROM ${h}/library/alpine:3.19
COPY --from=build /bin/${binary} /app/${binary}
ENTRYPOINT ["/app/${binary}"]
`;
  const notebookCell = (lines: string[]): string =>
    `  {\n   "cell_type": "code",\n   "execution_count": null,\n   "metadata": {},\n   "outputs": [],\n   "source": [\n${lines
      .map((line, i) => `    ${JSON.stringify(i < lines.length - 1 ? `${line}\n` : line)}`)
      .join(",\n")}\n   ]\n  }`;
  return {
    "crossdock.yaml": `# crossdock's configuration for this repository: where the images move.
version: 1
mappings:
  - from: ${h}/demo
    to: ${own}
  # Docker Hub's official images (library/) need a rule of their own: GHCR has no library/.
  - from: ${h}/library
    to: ${mirror}
categories:
  ${h}/demo/mxnet-mnist: example
  ${h}/demo/pytorch-mnist: example
`,
    "manifests/v1beta1/components/controller/controller.yaml": deployment(
      "katib-controller",
      `${h}/demo/katib-controller:v0.18.0`,
      `
          args:
            - --webhook-port=8443
            - --trial-resources=Job.v1.batch`,
    ),
    "manifests/v1beta1/components/ui/ui.yaml": deployment("katib-ui", `${h}/demo/katib-ui:v0.18.0`),
    "manifests/v1beta1/components/db-manager/db-manager.yaml": deployment(
      "katib-db-manager",
      `${h}/demo/katib-db-manager:v0.18.0`,
      `
          env:
            - name: DB_NAME
              value: mysql`,
    ),
    "manifests/v1beta1/components/mysql/mysql.yaml": deployment(
      "katib-mysql",
      `${h}/library/mysql:8.0`,
      `
          args: ["--datadir", "/var/lib/mysql/datadir"]`,
    ),
    "manifests/v1beta1/components/controller/katib-config.yaml": `apiVersion: v1
kind: ConfigMap
metadata:
  name: katib-config
  namespace: kubeflow
data:
  katib-config.yaml: |
    runtime:
      suggestions:
        - algorithmName: random
          image: ${h}/demo/katib-controller:v0.18.0
  trial-templates.json: |
    {
      "defaultTrialTemplate": {
        "image": "${h}/demo/pytorch-mnist:v0.18.0",
        "command": ["python3", "/opt/pytorch-mnist/mnist.py"]
      }
    }
`,
    "manifests/v1beta1/installs/katib-standalone/kustomization.yaml": `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: kubeflow
resources:
  - ../../components/controller
  - ../../components/ui
  - ../../components/db-manager
  - ../../components/mysql
images:
  - name: ${h}/demo/katib-controller
    newTag: v0.18.0
  - name: ${h}/demo/katib-ui
    newTag: v0.18.0
  - name: ${h}/demo/katib-db-manager
    newTag: v0.18.0
`,
    "charts/katib/Chart.yaml": `apiVersion: v2
name: katib
version: 0.18.0
appVersion: v0.18.0
`,
    "charts/katib/values.yaml": `controller:
  image:
    registry: ${h}
    repository: demo/katib-controller
    tag: v0.18.0
    pullPolicy: IfNotPresent
ui:
  image:
    registry: ${h}
    repository: demo/katib-ui
    tag: v0.18.0
dbManager:
  image:
    registry: ${h}
    repository: demo/katib-db-manager
    tag: v0.17.0
`,
    "cmd/katib-controller/v1beta1/Dockerfile": dockerfile("katib-controller"),
    "cmd/ui/v1beta1/Dockerfile": dockerfile("katib-ui"),
    "cmd/db-manager/v1beta1/Dockerfile": dockerfile("katib-db-manager"),
    Makefile: `REGISTRY ?= ${h}/demo
TAG ?= v0.18.0

images:
\tdocker build -t $(REGISTRY)/katib-controller:$(TAG) -f cmd/katib-controller/v1beta1/Dockerfile .
\tdocker build -t $(REGISTRY)/katib-ui:$(TAG) -f cmd/ui/v1beta1/Dockerfile .
\tdocker build -t $(REGISTRY)/katib-db-manager:$(TAG) -f cmd/db-manager/v1beta1/Dockerfile .

push: images
\tdocker push $(REGISTRY)/katib-controller:$(TAG)
\tdocker push $(REGISTRY)/katib-ui:$(TAG)
\tdocker push $(REGISTRY)/katib-db-manager:$(TAG)
`,
    ".github/workflows/e2e.yaml": `name: e2e
on:
  pull_request:
jobs:
  e2e:
    runs-on: ubuntu-latest
    services:
      mysql:
        image: ${h}/library/mysql:8.0
        env:
          MYSQL_ROOT_PASSWORD: test
    steps:
      - uses: actions/checkout@v4
      - uses: docker/build-push-action@v6
        with:
          context: .
          file: cmd/katib-controller/v1beta1/Dockerfile
          push: false
          tags: ${h}/demo/katib-controller:v0.18.0
`,
    ".github/workflows/release.yaml": `name: release
on:
  push:
    tags: ["v*"]
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: docker/login-action@v3
        with:
          registry: ${h}
          username: \${{ secrets.REGISTRY_USERNAME }}
          password: \${{ secrets.REGISTRY_TOKEN }}
      - uses: docker/build-push-action@v6
        with:
          context: .
          file: cmd/ui/v1beta1/Dockerfile
          push: true
          tags: ${h}/demo/katib-ui:v0.18.0
`,
    "scripts/v1beta1/deploy.sh": `#!/usr/bin/env bash
# Upgrades a running Katib from v0.17.0 to v0.18.0.
set -euo pipefail
docker pull ${h}/demo/katib-db-manager:v0.17.0
kubectl -n kubeflow set image deployment/katib-ui katib-ui=${h}/demo/katib-ui:v0.18.0
kubectl -n kubeflow set image deployment/katib-db-manager katib-db-manager="${h}/demo/katib-db-manager:v0.18.0"
`,
    "pkg/consts/images.go": `package consts

// DefaultControllerImage is the image the controller runs when the configuration names none.
const DefaultControllerImage = "${h}/demo/katib-controller:v0.18.0"

// DefaultPostgresImage backs the optional PostgreSQL database.
const DefaultPostgresImage = "${h}/library/postgres:16"
`,
    "examples/v1beta1/hp-tuning/random.yaml": `apiVersion: kubeflow.org/v1beta1
kind: Experiment
metadata:
  name: random
  namespace: kubeflow
spec:
  objective:
    type: maximize
    goal: 0.99
    objectiveMetricName: Validation-accuracy
  algorithm:
    algorithmName: random
  maxTrialCount: 12
  parameters:
    - name: lr
      parameterType: double
      feasibleSpace: {min: "0.01", max: "0.03"}
  trialTemplate:
    primaryContainerName: training-container
    trialParameters:
      - name: learningRate
        reference: lr
    trialSpec:
      apiVersion: batch/v1
      kind: Job
      spec:
        template:
          spec:
            containers:
              - name: training-container
                image: ${h}/demo/mxnet-mnist:v0.18.0
                command: ["python3", "/opt/mxnet-mnist/mnist.py", "--lr=\${trialParameters.learningRate}"]
            restartPolicy: Never
`,
    [unpublishedFile]: `{
 "cells": [
${notebookCell([
  "from kubeflow import katib",
  "client = katib.KatibClient()",
  `client.tune(name="tune-mnist", base_image="${h}/demo/mxnet-mnist:v0.18.0", objective=objective)`,
])},
${notebookCell([
  "# The PyTorch example as it was published for Katib v0.12.",
  `client.tune(name="tune-pytorch", base_image="${h}/${unpublishedImage.repository}:${unpublishedImage.tag}", objective=objective)`,
])}
 ],
 "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
 "nbformat": 4,
 "nbformat_minor": 5
}
`,
    "docs/README.md": `# Katib (demo)

Install the released images:

\`\`\`bash
kubectl apply -k manifests/v1beta1/installs/katib-standalone
docker pull ${h}/demo/katib-controller:v0.18.0
\`\`\`

Upgrading from v0.17.0? The old images stay available:

\`\`\`bash
docker pull ${h}/demo/katib-ui:v0.17.0
\`\`\`

Build your own with \`make images\` (set \`REGISTRY\` and \`TAG\` to push elsewhere).
`,
  };
}

/** Writes the sample repository under `dir` (created); returns the relative paths written. */
export async function writeSampleRepo(dir: string, hosts: SampleRepoHosts): Promise<string[]> {
  const files = sampleRepoFiles(hosts);
  for (const [file, text] of Object.entries(files)) {
    const target = path.join(dir, file);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, text);
  }
  return Object.keys(files).sort();
}

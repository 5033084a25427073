import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { yamlDocuments, yamlSections } from "../../../src/scan/engine/yaml/documents.js";
import { extractYamlImages } from "../../../src/scan/engine/yaml/images.js";
import { extractHelmValues } from "../../../src/scan/helm-values/extract.js";
import type { Finding } from "../../../src/scan/types.js";

const spans = (text: string, found: readonly Finding[]) =>
  found.map((f) => f.fields.map((field) => text.slice(field.start, field.end)).join("|"));

const crd = [
  "apiVersion: apiextensions.k8s.io/v1",
  "kind: CustomResourceDefinition",
  "metadata:",
  "  name: widgets.example.com",
  "spec:",
  "  versions:",
  "    - name: v1",
  "      schema:",
  "        openAPIV3Schema:",
  "          description: 'Widget runs image: quay.io/example/described:v1'",
  "",
  "          # a comment at any indentation stays in the schema",
  "          properties:",
  "            image:",
  "              default: quay.io/example/defaulted:v1",
  "              type: string",
  "      served: true",
  "      additionalPrinterColumns:",
  "        - name: Image",
  "          jsonPath: .spec.image",
].join("\n");

const deployment = [
  "apiVersion: apps/v1",
  "kind: Deployment",
  "spec:",
  "  template:",
  "    spec:",
  "      containers:",
  "        - name: app",
  "          image: ghcr.io/example/app:v2 # after the CRD",
  "          command: [sh, -c, 'docker run busybox:1.36']",
].join("\n");

describe("YAML documents", () => {
  it("splits a stream at document markers and cuts a CRD's schema, keeping offsets", () => {
    const text = `${crd}\n---\n${deployment}\n...\n--- # empty\n`;
    const docs = yamlDocuments(text);
    assert.equal(docs.length, 4);
    assert.ok(!docs[0]!.text.includes("described") && !docs[0]!.text.includes("defaulted"));
    assert.ok(docs[0]!.text.includes("served: true"), "the lines after the schema stay");
    const found = extractYamlImages(text, { file: "release.yaml" }, "kubernetes");
    assert.deepEqual(spans(text, found), ["ghcr.io/example/app:v2", "busybox:1.36"]);
  });

  it("places findings after a cut schema in the same document", () => {
    const text = `${crd}\n      podTemplate:\n        image: quay.io/example/kept:v3\n`;
    const found = extractYamlImages(text, { file: "crd.yaml" }, "kubernetes");
    assert.deepEqual(spans(text, found), ["quay.io/example/kept:v3"]);
  });

  it("reads a schema under openAPIV3Schema in a document that is no CRD", () => {
    const text = crd.replace("CustomResourceDefinition", "ConfigMap");
    const found = extractYamlImages(text, { file: "x.yaml" }, "kubernetes");
    assert.ok(spans(text, found).includes("quay.io/example/defaulted:v1"));
  });

  it("keeps the documents after one with a syntax error, and reports the error where it is", () => {
    const broken = 'kind: ConfigMap\ndata: {image: "x\n  b: [\n';
    const text = `${broken}---\n${deployment}\n`;
    const problems: number[] = [];
    const found = extractYamlImages(
      text,
      { file: "x.yaml", report: (_message, offset) => problems.push(offset) },
      "kubernetes",
    );
    assert.deepEqual(spans(text, found), ["ghcr.io/example/app:v2", "busybox:1.36"]);
    assert.ok(problems.length >= 1 && problems.every((offset) => offset <= broken.length));
    const second = `${deployment}\n---\n${broken}`;
    const late: number[] = [];
    extractYamlImages(second, { file: "x.yaml", report: (_m, offset) => late.push(offset) }, "kubernetes");
    assert.ok(late.length >= 1 && late.every((offset) => offset > deployment.length), String(late));
  });

  it("gives a hook the document's text, so split Helm fields land in the file", () => {
    const text = `a: 1\n---\nimage:\n  repository: example/split\n  tag: v4\n`;
    const found = extractYamlImages(text, { file: "x.yaml" }, "helm-values", (map, _key, doc) => {
      const repository = map.get("repository", true) as { range: [number, number] } | undefined;
      if (repository === undefined) return [];
      const [start, end] = repository.range;
      return [
        {
          form: "helm-values",
          kind: "complete",
          value: doc.slice(start, end),
          fields: [{ role: "repository", start, end, value: doc.slice(start, end), escaping: "none" }],
          context: "test",
        },
      ];
    });
    assert.ok(spans(text, found).includes("example/split"), JSON.stringify(spans(text, found)));
  });

  it("splits a mapping before each top-level key, and reads split Helm fields in their section", () => {
    const text = [
      "# chart values",
      "common:",
      "  labels: {}",
      "server:",
      "  image:",
      "    registry: quay.io",
      "    repository: example/server",
      "    tag: v1",
      "docs: |",
      "  no reference here",
      "sidecar:",
      "  image: ghcr.io/example/sidecar:v2",
      "",
    ].join("\n");
    const sections = yamlSections({ text, pieces: [{ inner: 0, outer: 0 }] });
    assert.deepEqual(
      sections.map((s) => s.text.split("\n")[0]),
      ["# chart values", "server:", "docs: |", "sidecar:"],
    );
    const found = extractHelmValues(text, { file: "values.yaml" });
    assert.deepEqual(spans(text, found), ["quay.io|example/server|v1", "ghcr.io/example/sidecar:v2"]);
  });

  it("keeps a document whole when a split could change what it means", () => {
    const whole = (text: string) => yamlSections({ text, pieces: [{ inner: 0, outer: 0 }] }).length === 1;
    assert.ok(whole("a: &base\n  x: 1\nb: *base\n"), "anchors");
    assert.ok(whole("- a: 1\n- b: 2\n"), "a top-level sequence");
    assert.ok(whole('a: 1\n"b": 2\n'), "a quoted key");
    assert.ok(whole("a: {x: 1,\ny: 2}\nb: 3\n"), "a flow collection over lines");
    assert.ok(whole("repository: example/app\ntag: v1\n"), "split image fields at the top");
    assert.ok(
      whole("global:\n  imageRegistry: quay.io\nserver:\n  image: {repository: x/y}\n"),
      "a Helm global",
    );
    assert.ok(!whole("a: 1\nb: 2\n"));
  });
});

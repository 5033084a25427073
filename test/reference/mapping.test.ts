/** FROM=TO prefix rules: parsing, matching at path-segment boundaries, mapping and reversing. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InvalidReferenceError } from "../../src/reference/errors.js";
import {
  findRule,
  formatMappingRule,
  type MappingRule,
  mapName,
  mapReference,
  parseMappingRule,
  parsePrefix,
  reverseRules,
} from "../../src/reference/mapping.js";
import { formatReference, parseReference } from "../../src/reference/reference.js";

const digest = "sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c";

function rules(...texts: string[]): MappingRule[] {
  return texts.map(parseMappingRule);
}

const kubeflow = [
  "docker.io/kubeflowkatib=ghcr.io/kubeflow/katib",
  "docker.io/kubeflow=ghcr.io/kubeflow/kubeflow",
  "docker.io/kubeflow/notebooks=ghcr.io/kubeflow/nb",
];

describe("parsePrefix", () => {
  const table: ReadonlyArray<{ input: string; text: string; domain: string; path: string; reason: string }> =
    [
      {
        input: "docker.io/kubeflowkatib",
        text: "docker.io/kubeflowkatib",
        domain: "docker.io",
        path: "kubeflowkatib",
        reason: "a Docker Hub namespace",
      },
      {
        input: "kubeflowkatib",
        text: "docker.io/kubeflowkatib",
        domain: "docker.io",
        path: "kubeflowkatib",
        reason: "short form: no registry means docker.io",
      },
      {
        input: "kubeflowkatib/",
        text: "docker.io/kubeflowkatib",
        domain: "docker.io",
        path: "kubeflowkatib",
        reason: "a trailing slash is dropped",
      },
      {
        input: "index.docker.io/kubeflowkatib",
        text: "docker.io/kubeflowkatib",
        domain: "docker.io",
        path: "kubeflowkatib",
        reason: "index.docker.io is docker.io",
      },
      {
        input: "library",
        text: "docker.io/library",
        domain: "docker.io",
        path: "library",
        reason: "no library/ is added: library itself is the namespace",
      },
      {
        input: "mysql",
        text: "docker.io/mysql",
        domain: "docker.io",
        path: "mysql",
        reason: "unlike a reference, a prefix gets no library/",
      },
      { input: "ghcr.io", text: "ghcr.io", domain: "ghcr.io", path: "", reason: "a whole registry" },
      { input: "ghcr.io/", text: "ghcr.io", domain: "ghcr.io", path: "", reason: "a whole registry, slash" },
      {
        input: "localhost:5000",
        text: "localhost:5000",
        domain: "localhost:5000",
        path: "",
        reason: "a registry with a port",
      },
      {
        input: "localhost",
        text: "localhost",
        domain: "localhost",
        path: "",
        reason: "localhost is a registry",
      },
      {
        input: "[::1]:5000/mirror",
        text: "[::1]:5000/mirror",
        domain: "[::1]:5000",
        path: "mirror",
        reason: "IPv6 host",
      },
      {
        input: "ghcr.io/kubeflow/katib/",
        text: "ghcr.io/kubeflow/katib",
        domain: "ghcr.io",
        path: "kubeflow/katib",
        reason: "nested namespace, trailing slash",
      },
    ];
  for (const row of table) {
    it(`${row.input}: ${row.reason}`, () => {
      assert.deepEqual(parsePrefix(row.input), { domain: row.domain, path: row.path, text: row.text });
    });
  }
});

describe("parseMappingRule refuses", () => {
  const table: ReadonlyArray<{ input: string; error: RegExp; reason: string }> = [
    { input: "docker.io/kubeflowkatib", error: /FROM=TO/, reason: "no '='" },
    { input: "=ghcr.io/kubeflow/katib", error: /FROM=TO/, reason: "empty FROM" },
    { input: "docker.io/kubeflowkatib=", error: /FROM=TO/, reason: "empty TO" },
    { input: "", error: /FROM=TO/, reason: "empty rule" },
    {
      input: "docker.io/kubeflowkatib:latest=ghcr.io/kubeflow/katib",
      error: /no tag/,
      reason: "tag in FROM",
    },
    { input: "docker.io/kubeflowkatib=ghcr.io/kubeflow/katib:v1", error: /no tag/, reason: "tag in TO" },
    {
      input: `docker.io/kubeflowkatib=ghcr.io/kubeflow/katib@${digest}`,
      error: /no tag or digest/,
      reason: "digest in TO",
    },
    { input: "kubeflowkatib:latest=ghcr.io/x", error: /invalid/, reason: "tag on a short FROM" },
    {
      input: "docker.io/KubeflowKatib=ghcr.io/kubeflow/katib",
      error: /lowercase/,
      reason: "upper case in the path",
    },
    {
      input: "docker.io/kubeflowkatib=ghcr.io/Kubeflow/katib",
      error: /lowercase/,
      reason: "upper case in TO",
    },
    { input: "KubeflowKatib=ghcr.io/kubeflow/katib", error: /lowercase/, reason: "upper-case short FROM" },
    { input: "docker.io/-katib=ghcr.io/x", error: /invalid repository path/, reason: "leading separator" },
    { input: "docker.io/a___b=ghcr.io/x", error: /invalid repository path/, reason: "three underscores" },
    { input: "ghcr.io//=docker.io/x", error: /empty repository path/, reason: "two trailing slashes" },
    { input: "docker.io//x=ghcr.io/x", error: /invalid repository path/, reason: "empty path component" },
    { input: "ghcr.io:port/x=docker.io/x", error: /invalid registry host/, reason: "non-numeric port" },
    { input: "a=b=c", error: /invalid repository path/, reason: "a second '=' lands in TO" },
    {
      input: `ghcr.io/${"a".repeat(256)}=docker.io/x`,
      error: /not be more than 255/,
      reason: "path too long",
    },
  ];
  for (const row of table) {
    it(`${JSON.stringify(row.input.slice(0, 60))}: ${row.reason}`, () => {
      assert.throws(
        () => parseMappingRule(row.input),
        (error: unknown) => error instanceof InvalidReferenceError && row.error.test(error.reason),
      );
    });
  }
});

describe("mapReference", () => {
  const table: ReadonlyArray<{
    rules: readonly string[];
    input: string;
    expected: string | undefined;
    reason: string;
    /** Whether reverseRules(rules) brings the result back to the input's canonical form. */
    roundTrip?: boolean;
  }> = [
    {
      rules: kubeflow,
      input: "docker.io/kubeflowkatib/katib-ui:v0.17.0",
      expected: "ghcr.io/kubeflow/katib/katib-ui:v0.17.0",
      reason: "the prefix moves, the tag is kept",
    },
    {
      rules: kubeflow,
      input: "kubeflowkatib/katib-controller",
      expected: "ghcr.io/kubeflow/katib/katib-controller",
      reason: "a familiar input is normalized first",
    },
    {
      rules: kubeflow,
      input: "index.docker.io/kubeflowkatib/katib-db-manager:latest",
      expected: "ghcr.io/kubeflow/katib/katib-db-manager:latest",
      reason: "index.docker.io input",
    },
    {
      rules: kubeflow,
      input: "docker.io/kubeflowkatibx/x",
      expected: undefined,
      reason: "no match inside a path segment",
    },
    {
      rules: ["docker.io/kubeflow=ghcr.io/kubeflow/kubeflow"],
      input: "docker.io/kubeflowkatib/x",
      expected: undefined,
      reason: "docker.io/kubeflow does not match docker.io/kubeflowkatib/x",
    },
    {
      rules: kubeflow,
      input: "docker.io/kubeflow/x:1",
      expected: "ghcr.io/kubeflow/kubeflow/x:1",
      reason: "the shorter rule covers its own namespace",
    },
    {
      rules: kubeflow,
      input: "docker.io/kubeflow/notebooks/jupyter:v1",
      expected: "ghcr.io/kubeflow/nb/jupyter:v1",
      reason: "the most specific rule wins",
    },
    {
      rules: [...kubeflow].reverse(),
      input: "docker.io/kubeflow/notebooks/jupyter:v1",
      expected: "ghcr.io/kubeflow/nb/jupyter:v1",
      reason: "the most specific rule wins whatever the order",
    },
    {
      rules: kubeflow,
      input: "docker.io/kubeflow/notebooksx/jupyter",
      expected: "ghcr.io/kubeflow/kubeflow/notebooksx/jupyter",
      reason: "the specific rule only at a segment boundary",
    },
    {
      rules: kubeflow,
      input: `docker.io/kubeflowkatib/katib-ui@${digest}`,
      expected: `ghcr.io/kubeflow/katib/katib-ui@${digest}`,
      reason: "a digest is kept",
    },
    {
      rules: kubeflow,
      input: `kubeflowkatib/katib-ui:v1@${digest}`,
      expected: `ghcr.io/kubeflow/katib/katib-ui:v1@${digest}`,
      reason: "a tag and a digest are both kept",
    },
    {
      rules: kubeflow,
      input: "docker.io/library/mysql:8",
      expected: undefined,
      reason: "library/ images are not covered by a namespace rule",
    },
    {
      rules: ["docker.io/kubeflowkatib=ghcr.io/kubeflow/katib"],
      input: "mysql:8",
      expected: undefined,
      reason: "a familiar official image is docker.io/library/mysql: not mapped",
    },
    {
      rules: [...kubeflow, "docker.io/library=ghcr.io/kubeflow/library"],
      input: "mysql:8",
      expected: "ghcr.io/kubeflow/library/mysql:8",
      reason: "an explicit docker.io/library rule maps official images",
    },
    {
      rules: ["mysql=ghcr.io/acme/mysql"],
      input: "mysql:8",
      expected: undefined,
      reason: "a short FROM gets no library/, so mysql= does not cover docker.io/library/mysql",
    },
    {
      rules: ["kubeflowkatib=ghcr.io/kubeflow/katib"],
      input: "docker.io/kubeflowkatib/katib-ui:v1",
      expected: "ghcr.io/kubeflow/katib/katib-ui:v1",
      reason: "a short FROM is a Docker Hub namespace",
    },
    {
      rules: ["docker.io/kubeflowkatib/=ghcr.io/kubeflow/katib/"],
      input: "kubeflowkatib/katib-ui",
      expected: "ghcr.io/kubeflow/katib/katib-ui",
      reason: "trailing slashes on both sides",
    },
    {
      rules: ["quay.io=ghcr.io/mirror"],
      input: "quay.io/jetstack/cert-manager-controller:v1.14.0",
      expected: "ghcr.io/mirror/jetstack/cert-manager-controller:v1.14.0",
      reason: "a whole registry under a namespace",
    },
    {
      rules: ["ghcr.io=localhost:5000"],
      input: "ghcr.io/kubeflow/katib/katib-ui:v1",
      expected: "localhost:5000/kubeflow/katib/katib-ui:v1",
      reason: "registry to registry",
    },
    {
      rules: ["ghcr.io=localhost:5000"],
      input: "ghcr.io.evil.com/kubeflow/x",
      expected: undefined,
      reason: "a registry prefix matches the whole host only",
    },
    {
      rules: ["docker.io=ghcr.io/acme"],
      input: "redis",
      expected: "ghcr.io/acme/library/redis",
      reason: "a docker.io rule covers library/ too",
    },
    {
      rules: ["ghcr.io/acme=docker.io"],
      input: "ghcr.io/acme/mysql:8",
      expected: "docker.io/library/mysql:8",
      reason: "a one-component Docker Hub result is normalized with library/",
      roundTrip: false,
    },
    {
      rules: ["ghcr.io/acme=docker.io"],
      input: "ghcr.io/acme/bitnami/redis",
      expected: "docker.io/bitnami/redis",
      reason: "a two-component Docker Hub result stays",
    },
  ];
  for (const row of table) {
    it(`${row.input} with ${row.rules.join(" ")}: ${row.reason}`, () => {
      const parsed = rules(...row.rules);
      const mapped = mapReference(parsed, parseReference(row.input));
      assert.equal(mapped === undefined ? undefined : formatReference(mapped), row.expected);
      if (mapped === undefined) return;
      // The result is a normalized reference: parsing its canonical form gives it back.
      assert.deepEqual(parseReference(formatReference(mapped)), mapped);
      if (row.roundTrip !== false) {
        const back = mapReference(reverseRules(parsed), mapped);
        assert.ok(back !== undefined);
        assert.equal(formatReference(back), formatReference(parseReference(row.input)));
      }
    });
  }

  it("refuses a result that is a bare registry", () => {
    assert.throws(
      () => mapReference(rules("docker.io/library/mysql=ghcr.io"), parseReference("mysql")),
      (error: unknown) => error instanceof InvalidReferenceError && /repository path/.test(error.reason),
    );
  });

  it("refuses a result whose path is over 255 characters", () => {
    const long = "a".repeat(250);
    assert.throws(
      () => mapReference(rules(`docker.io/x=ghcr.io/${long}`), parseReference("x/abcdef")),
      (error: unknown) => error instanceof InvalidReferenceError && /not be more than 255/.test(error.reason),
    );
  });

  it("lets a long registry name through: the limit is on the path", () => {
    const host = `${"h".repeat(60)}.${"h".repeat(60)}.example.com`;
    const mapped = mapReference(rules(`docker.io/x=${host}/${"p".repeat(240)}`), parseReference("x/y"));
    assert.equal(mapped?.path, `${"p".repeat(240)}/y`);
  });
});

describe("mapName and findRule", () => {
  const parsed = rules(...kubeflow);
  const table: ReadonlyArray<{ name: string; expected: string | undefined; reason: string }> = [
    {
      name: "docker.io/kubeflowkatib",
      expected: "ghcr.io/kubeflow/katib",
      reason: "the bare prefix maps itself",
    },
    {
      name: "docker.io/kubeflow",
      expected: "ghcr.io/kubeflow/kubeflow",
      reason: "the bare prefix maps itself",
    },
    {
      name: "docker.io/kubeflow/notebooks",
      expected: "ghcr.io/kubeflow/nb",
      reason: "most specific bare prefix",
    },
    { name: "docker.io/kubeflowkatibx", expected: undefined, reason: "not at a segment boundary" },
    { name: "docker.io", expected: undefined, reason: "the registry alone is not under a namespace rule" },
    { name: "ghcr.io/kubeflow/katib", expected: undefined, reason: "the target is not a source" },
  ];
  for (const row of table) {
    it(`${row.name}: ${row.reason}`, () => {
      assert.equal(mapName(parsed, row.name), row.expected);
    });
  }

  it("findRule returns the longest matching FROM", () => {
    const rule = findRule(parsed, "docker.io/kubeflow/notebooks/jupyter");
    assert.ok(rule !== undefined);
    assert.equal(formatMappingRule(rule), "docker.io/kubeflow/notebooks=ghcr.io/kubeflow/nb");
  });
});

describe("reverseRules", () => {
  it("turns each rule around and twice is the identity", () => {
    const parsed = rules(...kubeflow, "docker.io/library=ghcr.io/kubeflow/library");
    const reversed = reverseRules(parsed);
    assert.deepEqual(reversed.map(formatMappingRule), [
      "ghcr.io/kubeflow/katib=docker.io/kubeflowkatib",
      "ghcr.io/kubeflow/kubeflow=docker.io/kubeflow",
      "ghcr.io/kubeflow/nb=docker.io/kubeflow/notebooks",
      "ghcr.io/kubeflow/library=docker.io/library",
    ]);
    assert.deepEqual(reverseRules(reversed), parsed);
  });

  it("maps every migrated reference back to where it came from", () => {
    const parsed = rules(...kubeflow, "docker.io/library=ghcr.io/kubeflow/library");
    const inputs = [
      "mysql:8",
      "kubeflowkatib/katib-ui:v1",
      "kubeflow/notebooks/jupyter",
      "kubeflow/pipelines/api-server",
      `kubeflowkatib/katib-ui:v1@${digest}`,
    ];
    for (const input of inputs) {
      const ref = parseReference(input);
      const there = mapReference(parsed, ref);
      assert.ok(there !== undefined, input);
      assert.deepEqual(mapReference(reverseRules(parsed), there), ref, input);
    }
  });

  it("formatMappingRule text parses back to the same rule", () => {
    for (const rule of rules(
      ...kubeflow,
      "kubeflowkatib/=ghcr.io/kubeflow/katib/",
      "ghcr.io=localhost:5000",
    )) {
      assert.deepEqual(parseMappingRule(formatMappingRule(rule)), rule);
    }
  });
});

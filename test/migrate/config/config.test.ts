import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { UsageError } from "../../../src/errors.js";
import { ConfigError } from "../../../src/migrate/config/error.js";
import { findConfig, loadConfig, parseConfig } from "../../../src/migrate/config/load-config.js";
import { suggestName } from "../../../src/migrate/config/suggest.js";
import { mirrorRule } from "../../../src/migrate/config/third-party.js";
import { formatMappingRule, mapReference } from "../../../src/reference/mapping.js";
import { parseReference } from "../../../src/reference/reference.js";
import { createCredentialSource } from "../../../src/registry/credentials/credential-source.js";
import { fixturePath } from "../../helpers/paths.js";

/** Parses text expected to be refused and returns the ConfigError. */
function refuse(text: string): ConfigError {
  try {
    parseConfig(text, "crossdock.yaml");
  } catch (error) {
    assert.ok(error instanceof ConfigError, `want a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail("the config was accepted");
}

describe("parseConfig: a valid file", () => {
  it("gives the rules, policies, repositories and every section", async () => {
    const config = await loadConfig(fixturePath("config", "valid.yaml"));
    assert.deepEqual(config.rules.map(formatMappingRule), [
      "docker.io/kubeflowkatib=ghcr.io/kubeflow/katib",
      "docker.io/kubeflow=ghcr.io/kubeflow/images",
    ]);
    assert.deepEqual(config.mappings[0]?.repositories, ["katib-controller", "katib-ui"]);
    assert.deepEqual(config.mappings[0]?.policy, {
      include: "v.*",
      exclude: ".*-rc.*",
      semver: ">=0.15.0",
      latest: 10,
    });
    assert.equal(config.mappings[1]?.repositories, undefined);
    assert.deepEqual(config.mappings[1]?.policy, {});
    assert.equal(config.thirdParty.action, "mirror");
    assert.equal(
      config.thirdParty.action === "mirror" && config.thirdParty.mirror.text,
      "ghcr.io/kubeflow/katib/mirror",
    );
    assert.deepEqual(config.insecureRegistries, ["registry.local:5000"]);
    assert.deepEqual(
      config.registries.map((r) => r.host),
      ["ghcr.io", "registry.local:5000", "docker.io"],
    );
    assert.deepEqual(config.include, ["**"]);
    assert.deepEqual(config.exclude, ["vendor/**", "third_party/**"]);
    assert.deepEqual(
      [...config.categoryOverrides],
      [
        ["docker.io/kubeflowkatib/mxnet-mnist", { usage: "example" }],
        ["docker.io/kubeflowkatib/katib-ui", { owner: "own" }],
        ["docker.io/library/mysql", { owner: "third-party" }],
        ["docker.io/kubeflowkatib/", { owner: "own", usage: "example" }],
      ],
    );
  });

  it("resolves defaults for an empty file and for a comment-only file", () => {
    for (const text of ["", "# nothing yet\n"]) {
      const config = parseConfig(text, "crossdock.yaml");
      assert.deepEqual(config.rules, []);
      assert.deepEqual(config.thirdParty, { action: "leave" });
      assert.deepEqual(config.include, ["**"]);
      assert.deepEqual(config.exclude, []);
      assert.deepEqual(config.insecureRegistries, []);
      assert.equal(config.categoryOverrides.size, 0);
    }
  });

  it("follows YAML anchors and aliases", () => {
    const config = parseConfig(
      [
        "mappings:",
        "  - { from: docker.io/a, to: ghcr.io/o/a, tags: &policy { include: 'v.*' } }",
        "  - { from: docker.io/b, to: ghcr.io/o/b, tags: *policy }",
      ].join("\n"),
      "crossdock.yaml",
    );
    assert.deepEqual(config.mappings[1]?.policy, { include: "v.*" });
  });
});

describe("parseConfig: each kind of error names the file, line, column and field", () => {
  const cases: Array<{ name: string; text: string; where: string; message: RegExp }> = [
    {
      name: "bad prefix",
      text: "mappings:\n  - from: docker.io/KubeflowKatib\n    to: ghcr.io/kubeflow/katib\n",
      where: "crossdock.yaml:2:11: mappings[0].from",
      message: /invalid prefix "docker.io\/KubeflowKatib": repository path must be lowercase/,
    },
    {
      name: "bad regular expression",
      text: "mappings:\n  - from: docker.io/a\n    to: ghcr.io/o/a\n    tags:\n      include: '(('\n",
      where: "crossdock.yaml:5:16: mappings[0].tags.include",
      message: /invalid regular expression "\(\("/,
    },
    {
      name: "bad semver range",
      text: "mappings:\n  - from: docker.io/a\n    to: ghcr.io/o/a\n    tags: { semver: '>=banana' }\n",
      where: "crossdock.yaml:4:21: mappings[0].tags.semver",
      message: /invalid range ">=banana"/,
    },
    {
      name: "latest below 1",
      text: "mappings:\n  - from: docker.io/a\n    to: ghcr.io/o/a\n    tags: { latest: 0 }\n",
      where: "crossdock.yaml:4:21: mappings[0].tags.latest",
      message: /at least 1/,
    },
    {
      name: "unknown top-level key, with a suggestion",
      text: "version: 1\nthird_party: { action: leave }\n",
      where: "crossdock.yaml:2:1: third_party",
      message: /unknown field \(did you mean "thirdParty"\?\)/,
    },
    {
      name: "unknown nested key, with a suggestion",
      text: "mappings:\n  - form: docker.io/a\n    from: docker.io/a\n    to: ghcr.io/o/a\n",
      where: "crossdock.yaml:2:5: mappings[0].form",
      message: /did you mean "from"\?/,
    },
    {
      name: "unknown key far from any known one: no suggestion, the known fields listed",
      text: "paths: { include: ['**'], banana: [] }\n",
      where: "crossdock.yaml:1:27: paths.banana",
      message: /^unknown field; known fields: include, exclude$/,
    },
    {
      name: "wrong type: a mapping where a list goes",
      text: "mappings:\n  from: docker.io/a\n  to: ghcr.io/o/a\n",
      where: "crossdock.yaml:2:3: mappings",
      message: /want a list, got a mapping/,
    },
    {
      name: "wrong type: a number where a string goes",
      text: "mappings:\n  - from: docker.io/a\n    to: ghcr.io/o/a\n    tags: { semver: 1.2 }\n",
      where: "crossdock.yaml:4:21: mappings[0].tags.semver",
      message: /want a string, got a number \(put it in quotes\)/,
    },
    {
      name: "wrong type: a string where a boolean goes",
      text: "registries:\n  registry.local:5000: { insecure: 'yes' }\n",
      where: 'crossdock.yaml:2:36: registries["registry.local:5000"].insecure',
      message: /want true or false, got a string/,
    },
    {
      name: "mirror without a prefix",
      text: "thirdParty:\n  action: mirror\n",
      where: "crossdock.yaml:2:11: thirdParty.action",
      message: /action "mirror" needs "mirror"/,
    },
    {
      name: "an unknown action, with a suggestion",
      text: "thirdParty: { action: mirorr, mirror: ghcr.io/o/mirror }\n",
      where: "crossdock.yaml:1:23: thirdParty.action",
      message: /want leave or mirror \(did you mean "mirror"\?\)/,
    },
    {
      name: "thirdParty without an action",
      text: "thirdParty:\n  mirror: ghcr.io/o/mirror\n",
      where: "crossdock.yaml:2:3: thirdParty",
      message: /missing "action"/,
    },
    {
      name: "a mirror under a mapping's from",
      text: "mappings: [{ from: docker.io/a, to: ghcr.io/o/a }]\nthirdParty: { action: mirror, mirror: docker.io/a/mirror }\n",
      where: "crossdock.yaml:2:39: thirdParty.mirror",
      message: /lies under the mapping from "docker.io\/a"/,
    },
    {
      name: "YAML syntax error",
      text: "mappings:\n  - from: docker.io/a\n    to: [ghcr.io/o/a\nthirdParty: { action: leave }\n",
      where: "crossdock.yaml:4:1",
      message: /^YAML syntax: /,
    },
    {
      name: "duplicate key",
      text: "mappings: []\nmappings: []\n",
      where: "crossdock.yaml:2:1",
      message: /YAML syntax: Map keys must be unique/,
    },
    {
      name: "missing to",
      text: "mappings:\n  - from: docker.io/a\n",
      where: "crossdock.yaml:2:5: mappings[0]",
      message: /missing "to"/,
    },
    {
      name: "the same from twice",
      text: "mappings:\n  - { from: docker.io/a, to: ghcr.io/o/a }\n  - { from: index.docker.io/a/, to: ghcr.io/o/b }\n",
      where: "crossdock.yaml:3:13: mappings[1].from",
      message: /"docker.io\/a" is already mapped by mappings\[0\]/,
    },
    {
      name: "a to under a from (a second run would move it again)",
      text: "mappings:\n  - { from: ghcr.io/o, to: ghcr.io/o/new }\n",
      where: "crossdock.yaml:2:28: mappings[0].to",
      message: /lies under mappings\[0\].from "ghcr.io\/o"/,
    },
    {
      name: "a repository that is not a path",
      text: "mappings:\n  - from: docker.io/a\n    to: ghcr.io/o/a\n    repositories: [ok, 'ui:v1']\n",
      where: "crossdock.yaml:4:24: mappings[0].repositories[1]",
      message: /"ui:v1": want a repository path/,
    },
    {
      name: "a category that does not exist",
      text: "categories:\n  docker.io/a/b: exampel\n",
      where: 'crossdock.yaml:2:18: categories["docker.io/a/b"]',
      message: /want own, third-party, core, example, test, docs \(did you mean "example"\?\)/,
    },
    {
      name: "a registry key with a scheme",
      text: "registries:\n  https://ghcr.io: { insecure: false }\n",
      where: 'crossdock.yaml:2:3: registries["https://ghcr.io"]',
      message: /want a registry host/,
    },
    {
      name: "usernameEnv without passwordEnv",
      text: "registries:\n  ghcr.io: { usernameEnv: GITHUB_ACTOR }\n",
      where: 'crossdock.yaml:2:27: registries["ghcr.io"].usernameEnv',
      message: /usernameEnv needs passwordEnv too/,
    },
    {
      name: "a newer format version",
      text: "version: 2\n",
      where: "crossdock.yaml:1:10: version",
      message: /reads version 1 only/,
    },
  ];
  for (const { name, text, where, message } of cases) {
    it(name, () => {
      const error = refuse(text);
      assert.ok(error instanceof UsageError, "a UsageError: the CLI exits 2");
      assert.equal(error.code, "CONFIG_INVALID");
      assert.equal(error.issues.length, 1, error.message);
      const line = error.message;
      assert.ok(line.startsWith(`${where}: `), `"${line}" should start with "${where}: "`);
      assert.match(line.slice(where.length + 2), message);
    });
  }
});

describe("parseConfig: all problems at once", () => {
  it("reports every problem of a file, one per line, in file order", async () => {
    const file = fixturePath("config", "many-errors.yaml");
    await assert.rejects(loadConfig(file), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(
        error.issues.map((issue) => `${issue.line}:${issue.column}: ${issue.path}`),
        [
          "1:1: mapings",
          "4:9: mappings[0].to",
          "6:15: mappings[0].tags.semver",
          "7:16: mappings[0].tags.include",
          "8:5: mappings[1].form",
          "8:5: mappings[1]",
          "11:11: thirdParty.action",
          '13:36: registries["registry.local:5000"].insecure',
        ],
      );
      const lines = error.message.split("\n");
      assert.equal(lines.length, error.issues.length);
      for (const line of lines) assert.ok(line.startsWith(`${file}:`), line);
      assert.match(lines[0]!, /did you mean "mappings"\?/);
      return true;
    });
  });

  it("reports a YAML syntax error with its line, and nothing after it", async () => {
    const file = fixturePath("config", "syntax-error.yaml");
    await assert.rejects(loadConfig(file), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.ok(error.issues.length >= 1);
      assert.ok(
        error.issues.every((issue) => issue.path === "" && issue.message.startsWith("YAML syntax: ")),
      );
      assert.ok(
        error.issues.some((issue) => issue.line === 4 || issue.line === 5),
        error.message,
      );
      return true;
    });
  });
});

describe("credentials: variable names in the file, values only in the environment", () => {
  const secret = "ghp_S3cretValueThatMustNeverBePrinted0123456";
  const text = [
    "registries:",
    "  ghcr.io: { usernameEnv: CI_USER, passwordEnv: CI_PASS }",
    "  registry.local:5000: { tokenEnv: LOCAL_TOKEN }",
    "  quay.io: { usernameEnv: QUAY_USER, passwordEnv: QUAY_PASS }",
  ].join("\n");

  it("credentialEnv copies the values onto CROSSDOCK_AUTH_<HOST>_* and leaves the rest", () => {
    const config = parseConfig(text, "crossdock.yaml");
    const env = {
      HOME: "/nowhere",
      CI_USER: "octocat",
      CI_PASS: secret,
      LOCAL_TOKEN: "tok",
      CROSSDOCK_AUTH_REGISTRY_LOCAL_5000_USERNAME: "stale",
      QUAY_USER: "only-half",
    };
    const mapped = config.credentialEnv(env);
    assert.equal(mapped["CROSSDOCK_AUTH_GHCR_IO_USERNAME"], "octocat");
    assert.equal(mapped["CROSSDOCK_AUTH_GHCR_IO_PASSWORD"], secret);
    assert.equal(mapped["CROSSDOCK_AUTH_REGISTRY_LOCAL_5000_TOKEN"], "tok");
    assert.equal(
      mapped["CROSSDOCK_AUTH_REGISTRY_LOCAL_5000_USERNAME"],
      undefined,
      "a mapped host replaces stale variables",
    );
    assert.equal(
      mapped["CROSSDOCK_AUTH_QUAY_IO_USERNAME"],
      undefined,
      "half a pair is left to the other sources",
    );
    assert.equal(mapped["HOME"], "/nowhere");
    assert.equal(env["CI_PASS"], secret, "the input is not changed");
    assert.equal("CROSSDOCK_AUTH_GHCR_IO_PASSWORD" in env, false);
  });

  it("the credential source finds the mapped credential", async () => {
    const config = parseConfig(text, "crossdock.yaml");
    const source = createCredentialSource({
      env: config.credentialEnv({ HOME: "/nonexistent-home", CI_USER: "octocat", CI_PASS: secret }),
    });
    const credential = await source.get("ghcr.io");
    assert.equal(credential?.kind, "basic");
    assert.equal(credential?.kind === "basic" && credential.password, secret);
    assert.match(source.describe("ghcr.io"), /CROSSDOCK_AUTH_GHCR_IO/);
  });

  it("never puts a secret in an error message, even one pasted into the file", () => {
    const errors = [
      refuse(`registries:\n  ghcr.io: { tokenEnv: "${secret}" }\n`),
      refuse(`registries:\n  ghcr.io: { usernameEnv: me, password: "${secret}" }\n`),
      refuse(`registries:\n  ghcr.io: { passwordEnv: ${secret}, tokenEnv: ${secret} }\n`),
      refuse(`registries:\n  ghcr.io: ${secret}\n`),
      refuse(`registries:\n  ghcr.io: { usernameEnv: me, passwordEnv: "dckr_pat_S3cret-x/y" }\n`),
      refuse(`registries:\n  ghcr.io: { tokenEnv: S3cretValueThatMustNeverBePrinted0123456789 }\n`),
    ];
    for (const error of errors) {
      assert.ok(error.message.length > 0);
      assert.ok(!error.message.includes(secret), error.message);
      assert.ok(!error.message.includes("S3cret"), error.message);
    }
    assert.match(errors[0]!.message, /tokenEnv: want the name of an environment variable/);
    assert.match(errors[1]!.message, /\.password: unknown field \(did you mean "passwordEnv"\?\)/);
  });
});

describe("mirrorRule", () => {
  const config = parseConfig(
    [
      "mappings: [{ from: docker.io/kubeflowkatib, to: ghcr.io/kubeflow/katib }]",
      "thirdParty: { action: mirror, mirror: ghcr.io/kubeflow/katib/mirror }",
    ].join("\n"),
    "crossdock.yaml",
  );
  const cases: Array<[string, string | undefined]> = [
    ["docker.io/library/mysql", "docker.io/library/mysql=ghcr.io/kubeflow/katib/mirror/mysql"],
    ["mysql", "docker.io/library/mysql=ghcr.io/kubeflow/katib/mirror/mysql"],
    [
      "docker.io/bitnami/postgresql",
      "docker.io/bitnami/postgresql=ghcr.io/kubeflow/katib/mirror/bitnami/postgresql",
    ],
    [
      "quay.io/prometheus/node-exporter",
      "quay.io/prometheus/node-exporter=ghcr.io/kubeflow/katib/mirror/quay.io/prometheus/node-exporter",
    ],
    ["localhost:5000/tool", "localhost:5000/tool=ghcr.io/kubeflow/katib/mirror/localhost-5000/tool"],
    ["docker.io/kubeflowkatib/katib-ui", undefined],
    ["ghcr.io/kubeflow/katib/mirror/mysql", undefined],
    ["ghcr.io/kubeflow/katib/katib-ui", undefined],
  ];
  for (const [name, want] of cases) {
    it(`${name} -> ${want ?? "no rule"}`, () => {
      const rule = mirrorRule(config, name);
      assert.equal(rule === undefined ? undefined : formatMappingRule(rule), want);
    });
  }

  it("with path: without-host, drops the registry host; a bad path value is an error naming the field", () => {
    const flat = parseConfig(
      "thirdParty: { action: mirror, mirror: ghcr.io/o/r/mirror, path: without-host }\n",
      "crossdock.yaml",
    );
    const rule = (name: string) => {
      const found = mirrorRule(flat, name);
      return found === undefined ? undefined : formatMappingRule(found);
    };
    assert.equal(
      rule("quay.io/prometheus/node-exporter"),
      "quay.io/prometheus/node-exporter=ghcr.io/o/r/mirror/prometheus/node-exporter",
    );
    assert.equal(rule("mysql"), "docker.io/library/mysql=ghcr.io/o/r/mirror/mysql");
    assert.equal(
      rule("127.0.0.1:5000/library/golang"),
      "127.0.0.1:5000/library/golang=ghcr.io/o/r/mirror/golang",
    );
    assert.deepEqual(config.thirdParty.action === "mirror" && config.thirdParty.path, "with-host");
    assert.throws(
      () =>
        parseConfig("thirdParty: { action: mirror, mirror: ghcr.io/o/m, path: flat }\n", "crossdock.yaml"),
      (error: unknown) =>
        error instanceof Error &&
        /crossdock\.yaml:1:58: thirdParty\.path: want with-host or without-host/.test(error.message),
    );
  });

  it("moves a tagged reference with mapReference, keeping the tag", () => {
    const rule = mirrorRule(config, "docker.io/library/mysql");
    assert.ok(rule !== undefined);
    const mapped = mapReference([rule], parseReference("mysql:8.0"));
    assert.equal(mapped?.name, "ghcr.io/kubeflow/katib/mirror/mysql");
    assert.equal(mapped?.tag, "8.0");
  });

  it("gives nothing when the action is leave", () => {
    const leave = parseConfig("thirdParty: { action: leave, mirror: ghcr.io/o/mirror }\n", "crossdock.yaml");
    assert.equal(mirrorRule(leave, "docker.io/library/mysql"), undefined);
  });
});

describe("findConfig and loadConfig", () => {
  it("finds crossdock.yaml or crossdock.yml, and refuses both", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "crossdock-config-"));
    try {
      assert.equal(await findConfig(dir), undefined);
      await writeFile(path.join(dir, "crossdock.yml"), "");
      assert.equal(await findConfig(dir), path.join(dir, "crossdock.yml"));
      await writeFile(path.join(dir, "crossdock.yaml"), "");
      await assert.rejects(
        findConfig(dir),
        (error: unknown) => error instanceof UsageError && /keep one/.test(error.message),
      );
      await rm(path.join(dir, "crossdock.yml"));
      assert.equal(await findConfig(dir), path.join(dir, "crossdock.yaml"));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a missing file is a UsageError naming it", async () => {
    const file = path.join(os.tmpdir(), "crossdock-no-such-dir", "crossdock.yaml");
    await assert.rejects(
      loadConfig(file),
      (error: unknown) => error instanceof UsageError && error.message === `${file}: no such file`,
    );
  });
});

describe("suggestName", () => {
  const known = ["version", "mappings", "thirdParty", "registries", "paths", "categories"];
  const cases: Array<[string, string | undefined]> = [
    ["third_party", "thirdParty"],
    ["ThirdParty", "thirdParty"],
    ["mapings", "mappings"],
    ["registires", "registries"],
    ["catgories", "categories"],
    ["banana", undefined],
  ];
  for (const [name, want] of cases) {
    it(`${name} -> ${want ?? "nothing"}`, () => assert.equal(suggestName(name, known), want));
  }
  it("a short name gets one edit at most", () => {
    assert.equal(suggestName("to", ["tags", "from"]), undefined);
    assert.equal(suggestName("tp", ["to", "from"]), "to");
  });
});

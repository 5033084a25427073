// biome-ignore-all lint/suspicious/noTemplateCurlyInString: workflow templates are the data under test
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { formatRewriteSummary } from "../../src/cli/format-rewrite-report.js";
import { planCopies } from "../../src/migrate/plan-copies.js";
import { findStaleLogins } from "../../src/migrate/stale-logins.js";
import { parseMappingRule } from "../../src/reference/mapping.js";
import { splitTemplatedTag } from "../../src/reference/templated-tag.js";
import { planRewrite } from "../../src/rewrite/plan.js";
import { prepareRewrite } from "../../src/rewrite/rewrite-repository.js";
import { scanText } from "../../src/scan/scan-text.js";
import { planVerifyPairs } from "../../src/verify/pairs.js";

const rules = [parseMappingRule("example.io/acme=ghcr.io/acme")];
const file = ".github/workflows/release.yml";
const workflow = `jobs:
  release:
    runs-on: ubuntu-latest
    services:
      app:
        image: example.io/acme/app:1.0
    steps:
      - uses: docker/login-action@v3
        with:
          registry: example.io
      - uses: docker/build-push-action@v6
        with:
          push: true
          tags: |
            example.io/acme/app:latest
            example.io/acme/app:\${{ github.ref_name }}
            other.io/team/app:\${{ github.ref_name }}
`;
const scan = scanText(file, workflow, { rules });

describe("push destinations at the switch", () => {
  it("are rewritten, literal and templated (the template kept), and marked as push edits", () => {
    const plan = planRewrite({ occurrences: scan.references, texts: new Map([[file, workflow]]), rules });
    const edits = plan.edits.get(file) ?? [];
    assert.deepEqual(
      edits.map((e) => [e.line, e.before, e.after, e.push === true]),
      [
        [6, "example.io/acme/app:1.0", "ghcr.io/acme/app:1.0", false],
        [15, "example.io/acme/app:latest", "ghcr.io/acme/app:latest", true],
        [16, "example.io/acme/app", "ghcr.io/acme/app", true],
      ],
    );
    assert.deepEqual(
      plan.attention.map((a) => a.line),
      [17],
      "only the templated push no rule covers is left for a person, as any partial reference",
    );
  });

  it("are listed apart in `crossdock rewrite`'s summary", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "crossdock-push-"));
    try {
      await mkdir(path.join(dir, ".github", "workflows"), { recursive: true });
      await writeFile(path.join(dir, file), workflow);
      const lines = formatRewriteSummary(await prepareRewrite(dir, { rules }), "would change");
      assert.deepEqual(lines.slice(1, 4), [
        "push destinations rewritten: 2",
        `  ${file}:15  example.io/acme/app:latest -> ghcr.io/acme/app:latest`,
        `  ${file}:16  example.io/acme/app -> ghcr.io/acme/app`,
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("are listed by verify, never checked; the pull beside them is", () => {
    const plan = planVerifyPairs(scan.references, rules);
    assert.deepEqual(
      plan.pairs.map((p) => p.where),
      [[`${file}:6`]],
    );
    assert.deepEqual(plan.pushes, [
      { text: "example.io/acme/app:latest", where: [`${file}:15`] },
      { text: "example.io/acme/app:${{ github.ref_name }}", where: [`${file}:16`] },
    ]);
    assert.deepEqual(
      plan.skipped,
      { prefix: 0, partial: 0 },
      "push destinations are not counted as unverified partials",
    );
  });

  it("are not copied: the source has no tag CI will push later", () => {
    const { copies } = planCopies(scan.references, [], rules);
    assert.deepEqual(
      copies.map((c) => `${c.source.name}:${c.reference}`),
      ["example.io/acme/app:1.0"],
    );
  });

  it("the log-in to the old registry is stale once the references move; one to the target or an expression is not", () => {
    const logins = [
      ...scan.logins,
      { registry: "ghcr.io", file, line: 30, column: 1, context: "docker login" },
      { registry: "${{ env.REGISTRY }}", file, line: 31, column: 1, context: "docker/login-action" },
    ];
    assert.deepEqual(
      findStaleLogins(logins, rules).map((l) => [l.line, l.registry]),
      [[10, "example.io"]],
    );
    const hub = [
      { registry: "https://index.docker.io/v1/", file, line: 1, column: 1, context: "docker login" },
    ];
    assert.equal(findStaleLogins(hub, [parseMappingRule("docker.io/acme=ghcr.io/acme")]).length, 1);
    assert.equal(findStaleLogins(hub, [parseMappingRule("docker.io/a=docker.io/b")]).length, 0);
  });
});

describe("splitTemplatedTag", () => {
  for (const [value, name] of [
    ["example.io/acme/app:${{ github.ref_name }}", "example.io/acme/app"],
    ["acme/app:v{{ .Version }}-amd64", "acme/app"],
    ["localhost:5000/app:$TAG", "localhost:5000/app"],
    ["example.io/acme/app@${DIGEST}", "example.io/acme/app"],
    ["${REGISTRY}/app:${TAG}", undefined],
    ["example.io/${ORG}/app:1", undefined],
    ["example.io/acme/app:1", undefined],
  ] as const) {
    it(`${value} -> ${name ?? "none"}`, () => {
      assert.equal(splitTemplatedTag(value)?.text, name);
    });
  }
});

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseMappingRule } from "../../src/reference/mapping.js";
import { parseReference } from "../../src/reference/reference.js";
import type { Occurrence, ReferenceKind } from "../../src/scan/types.js";
import { planVerifyPairs } from "../../src/verify/pairs.js";
import { describePlatformDifference } from "../../src/verify/platforms.js";
import { worstStatus } from "../../src/verify/status.js";
import { describeNotPublic, ghcrSettingsLinks } from "../../src/verify/visibility.js";

/** An occurrence as the scan reports it, reduced to what planning reads. */
function occurrence(file: string, line: number, text: string, kind: ReferenceKind = "complete"): Occurrence {
  return {
    form: "kubernetes",
    kind,
    value: text,
    fields: [],
    context: "image:",
    file,
    line,
    column: 1,
    byteStart: 0,
    byteEnd: text.length,
    text,
    role: "pull",
    ...(kind === "complete" ? { reference: parseReference(text) } : {}),
    ...(kind === "prefix" ? { prefix: text } : {}),
  };
}

const rules = [parseMappingRule("docker.io/kubeflowkatib=ghcr.io/kubeflow/katib")];

describe("planVerifyPairs", () => {
  test("maps forward before the rewrite and back after it; one pair per (source, target) with every place", () => {
    const plan = planVerifyPairs(
      [
        occurrence("a.yaml", 3, "kubeflowkatib/katib-ui:v0.18.0"),
        occurrence("b.ipynb", 9, "docker.io/kubeflowkatib/katib-ui:v0.18.0"),
        occurrence("a.yaml", 3, "kubeflowkatib/katib-ui:v0.18.0"),
        occurrence("c.yaml", 1, "ghcr.io/kubeflow/katib/katib-ui:v0.18.0"),
        occurrence("d.yaml", 2, "ghcr.io/kubeflow/katib/katib-controller@sha256:" + "a".repeat(64)),
        occurrence("e.yaml", 5, "mysql:8.0.29"),
        occurrence("Makefile", 1, "docker.io/kubeflowkatib", "prefix"),
        occurrence("Makefile", 2, "docker.io/other", "prefix"),
        occurrence("Makefile", 3, "kubeflowkatib/katib-ui:$" + "{TAG}", "partial"),
      ],
      rules,
    );
    assert.deepEqual(
      plan.pairs.map((p) => ({
        source: p.source.name + (p.source.tag ?? p.source.digest ?? ""),
        target: p.target.name,
        where: p.where,
      })),
      [
        {
          source: "docker.io/kubeflowkatib/katib-uiv0.18.0",
          target: "ghcr.io/kubeflow/katib/katib-ui",
          // A half-rewritten repository: both spellings are one pair.
          where: ["a.yaml:3", "b.ipynb:9", "c.yaml:1"],
        },
        {
          source: `docker.io/kubeflowkatib/katib-controllersha256:${"a".repeat(64)}`,
          target: "ghcr.io/kubeflow/katib/katib-controller",
          where: ["d.yaml:2"],
        },
      ],
    );
    assert.deepEqual(plan.skipped, { prefix: 1, partial: 1 });
    assert.deepEqual(plan.unmappable, []);
  });
});

describe("GHCR visibility advice", () => {
  test("the package settings links URL-encode the path after the owner", () => {
    assert.deepEqual(ghcrSettingsLinks(parseReference("ghcr.io/kubeflow/katib/katib-ui:v0.18.0")), {
      org: "https://github.com/orgs/kubeflow/packages/container/katib%2Fkatib-ui/settings",
      user: "https://github.com/users/kubeflow/packages/container/package/katib%2Fkatib-ui/settings",
    });
    assert.equal(ghcrSettingsLinks(parseReference("quay.io/kubeflow/katib-ui")), undefined);
  });

  test("the message says GHCR has no API for it and gives the orgs link, mentioning the users form", () => {
    const ref = parseReference("ghcr.io/kubeflow/katib/katib-ui:v0.18.0");
    const message = describeNotPublic(ref, "ghcr.io/kubeflow/katib/katib-ui:v0.18.0", "401 UNAUTHORIZED");
    assert.match(message, /private when it is first pushed and offers no API to change that/);
    assert.ok(
      message.includes("https://github.com/orgs/kubeflow/packages/container/katib%2Fkatib-ui/settings"),
    );
    assert.ok(
      message.includes(
        "https://github.com/users/kubeflow/packages/container/package/katib%2Fkatib-ui/settings",
      ),
    );
  });
});

describe("platforms and statuses", () => {
  test("platform differences are named; equal sets and two single images agree", () => {
    assert.equal(describePlatformDifference(["linux/amd64"], ["linux/amd64"]), undefined);
    assert.equal(describePlatformDifference(undefined, undefined), undefined);
    assert.match(
      describePlatformDifference(["linux/amd64", "linux/arm64"], ["linux/amd64", "linux/s390x"]) ?? "",
      /the target lacks linux\/arm64; the target has linux\/s390x that the source has not/,
    );
    assert.match(
      describePlatformDifference(["linux/amd64", "linux/arm64"], undefined) ?? "",
      /single-platform/,
    );
  });

  test("the worst status wins; none is ok", () => {
    assert.equal(worstStatus([]), "ok");
    assert.equal(worstStatus(["not-public", "digest-differs", "error"]), "digest-differs");
    assert.equal(worstStatus(["digest-differs", "platforms-differ"]), "platforms-differ");
    assert.equal(worstStatus(["signatures-missing", "missing"]), "missing");
  });
});

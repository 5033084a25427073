// biome-ignore-all lint/suspicious/noTemplateCurlyInString: GitHub Actions expressions are the data under test
/**
 * patchWorkflow, the pure planner behind `crossdock ci github`, on the shapes workflows come in:
 * one-line and comma-separated lists, permissions given every way GitHub takes them, labels
 * already there, no login at all, no newline at the end. Each case gives the whole expected file,
 * and every result must validate with GitHub's workflow parser and plan nothing a second time.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { patchWorkflow } from "../../src/ci/github/patch-workflow.js";
import { parseMappingRule } from "../../src/reference/mapping.js";
import { applyEdits } from "../../src/rewrite/apply.js";
import { workflowErrors } from "../helpers/workflow-parser.js";

const rules = [parseMappingRule("docker.io/myorg=ghcr.io/myorg")];

/** The workflow with the plan applied. */
function patched(text: string): string {
  const plan = patchWorkflow("w.yml", text, rules);
  return applyEdits(
    text,
    plan.splices.map((s) => ({ ...s, file: "w.yml", before: text.slice(s.start, s.end), line: 0 })),
  );
}

const head = "on: push\njobs:\n  release:\n    runs-on: ubuntu-latest\n";
const login = [
  "      - uses: docker/login-action@v3",
  "        with:",
  "          registry: ghcr.io",
  "          username: ${{ github.actor }}",
  "          password: ${{ secrets.GITHUB_TOKEN }}",
];
const loginComment =
  "      # Added by crossdock ci github: publish to ghcr.io too while users move (parallel phase).";
const permissions = ["    permissions:", "      contents: read", "      packages: write"];
const label = "org.opencontainers.image.source=${{ github.server_url }}/${{ github.repository }}";

const cases: { name: string; before: string; after: string }[] = [
  {
    name: "one-line tags become a block; no login yet: one before the build",
    before: `${head}    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          push: true\n          tags: myorg/app:latest # the only tag\n`,
    after: [
      head.trimEnd(),
      ...permissions,
      "    steps:",
      loginComment,
      ...login,
      "      - uses: docker/build-push-action@v6",
      "        with:",
      "          push: true",
      "          tags: | # the only tag",
      "            myorg/app:latest",
      "            ghcr.io/myorg/app:latest",
      `          labels: ${label}`,
      "",
    ].join("\n"),
  },
  {
    name: "a comma list in quotes, workflow-level packages: write, a label list without the source, no final newline",
    before: `permissions:\n  packages: write\n${head}    steps:\n${login.join("\n")}\n      - uses: docker/build-push-action@v6\n        with:\n          push: \${{ github.event_name == 'push' }}\n          tags: "docker.io/myorg/app:1,docker.io/myorg/app:latest"\n          labels: |\n            maintainer=me`,
    after: [
      "permissions:",
      "  packages: write",
      head.trimEnd(),
      "    steps:",
      ...login,
      "      - uses: docker/build-push-action@v6",
      "        with:",
      "          push: ${{ github.event_name == 'push' }}",
      "          tags: |",
      "            docker.io/myorg/app:1,docker.io/myorg/app:latest",
      "            ghcr.io/myorg/app:1",
      "            ghcr.io/myorg/app:latest",
      "          labels: |",
      "            maintainer=me",
      `            ${label}`,
      "",
    ].join("\n"),
  },
  {
    name: "job permissions packages: read becomes write; a flow map in another job gains packages: write",
    before: `${head}    permissions:\n      packages: read\n    steps:\n${login.join("\n")}\n      - uses: docker/build-push-action@v6\n        with:\n          push: true\n          tags: myorg/app:v1\n          labels: ${label}\n  other:\n    runs-on: ubuntu-latest\n    permissions: { contents: read }\n    steps:\n${login.join("\n")}\n      - run: docker push myorg/tool:v1\n`,
    after: [
      head.trimEnd(),
      "    permissions:",
      "      packages: write",
      "      contents: read",
      "    steps:",
      ...login,
      "      - uses: docker/build-push-action@v6",
      "        with:",
      "          push: true",
      "          tags: |",
      "            myorg/app:v1",
      "            ghcr.io/myorg/app:v1",
      `          labels: ${label}`,
      "  other:",
      "    runs-on: ubuntu-latest",
      "    permissions: { contents: read, packages: write }",
      "    steps:",
      ...login,
      "      - run: |",
      "          docker push myorg/tool:v1",
      "          docker tag myorg/tool:v1 ghcr.io/myorg/tool:v1",
      "          docker push ghcr.io/myorg/tool:v1",
      "",
    ].join("\n"),
  },
];

describe("patchWorkflow", () => {
  for (const c of cases)
    it(c.name, async () => {
      const after = patched(c.before);
      assert.equal(after, c.after);
      assert.deepEqual(await workflowErrors("w.yml", after), []);
      assert.deepEqual(patchWorkflow("w.yml", after, rules).splices, [], "a second run plans nothing");
    });

  it("leaves alone what it cannot name or what is not pushed: templated images, unmapped images, push: false", () => {
    const build = (push: string, tags: string) =>
      `      - uses: docker/build-push-action@v6\n        with:\n          push: ${push}\n          tags: ${tags}\n`;
    const text = `${head}    steps:\n${build("true", "${{ env.IMAGE }}:latest")}${build("true", "quay.io/other/app:1")}${build("false", "myorg/app:1")}`;
    const plan = patchWorkflow("w.yml", text, rules);
    assert.deepEqual(plan.splices, []);
    assert.deepEqual(plan.publishingJobs, []);
    assert.deepEqual(plan.notes, [
      "w.yml: job release: tags: ${{ env.IMAGE }}:latest is not a literal name: add its target by hand if a mapping moves it",
    ]);
  });

  it("names the file and line of YAML it cannot read", () => {
    assert.throws(
      () => patchWorkflow("w.yml", `${head}    steps:\n      - uses: [\n`, rules),
      (error: Error & { code?: string }) =>
        /^w\.yml:\d+: /.test(error.message) && error.code === "WORKFLOW_INVALID",
    );
  });
});

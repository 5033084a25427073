/**
 * .github/workflows/release.yml, validated against GitHub's own workflow schema
 * (@actions/workflow-parser), then read for what the image needs: both platforms, GHCR, the
 * permission to push packages, the Dockerfile's SOURCE label filled in.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { before, describe, it } from "node:test";
import { parse } from "yaml";
import { repoRoot } from "../helpers/paths.js";
import { loadWorkflowParser } from "../helpers/workflow-parser.js";

const { NoOperationTraceWriter, parseWorkflow } = await loadWorkflowParser();

interface Step {
  readonly uses?: string;
  readonly with?: Record<string, string | boolean>;
}
interface Workflow {
  readonly permissions?: Record<string, string>;
  readonly jobs: Record<string, { readonly steps: readonly Step[] }>;
}

/** The schema errors GitHub would show for a workflow file. */
function validate(content: string): string[] {
  const result = parseWorkflow({ name: "release.yml", content }, new NoOperationTraceWriter());
  return result.context.errors.getErrors().map((e) => e.message);
}

describe("release workflow", () => {
  let content: string;
  let steps: readonly Step[];
  let workflow: Workflow;

  before(async () => {
    content = await readFile(path.join(repoRoot, ".github", "workflows", "release.yml"), "utf8");
    workflow = parse(content) as Workflow;
    steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
  });

  it("is a valid workflow", () => {
    assert.deepEqual(validate(content), []);
  });

  it("would be caught if it were not (the validator validates)", () => {
    assert.notDeepEqual(validate(content.replace("runs-on:", "runs_on:")), []);
  });

  it("may push packages", () => {
    assert.equal(workflow.permissions?.["packages"], "write");
  });

  it("sets up emulation and buildx, logs in to GHCR, and takes tags and labels from metadata-action", () => {
    const uses = steps.map((s) => s.uses?.replace(/@.*/, ""));
    for (const action of [
      "docker/setup-qemu-action",
      "docker/setup-buildx-action",
      "docker/login-action",
      "docker/metadata-action",
      "docker/build-push-action",
    ]) {
      assert.ok(uses.includes(action), `${action} is not used`);
    }
    assert.equal(
      steps.find((s) => s.uses?.startsWith("docker/login-action@"))?.with?.["registry"],
      "ghcr.io",
    );
    const meta = steps.find((s) => s.uses?.startsWith("docker/metadata-action@"));
    assert.match(String(meta?.with?.["images"]), /^ghcr\.io\//);
  });

  it("builds the Dockerfile for linux/amd64 and linux/arm64 and pushes it, labelled with its source", async () => {
    const build = steps.find((s) => s.uses?.startsWith("docker/build-push-action@"))?.with ?? {};
    assert.deepEqual(String(build["platforms"]).split(",").sort(), ["linux/amd64", "linux/arm64"]);
    assert.equal(build["push"], true);
    assert.equal(build["context"], ".");
    assert.match(String(build["labels"]), /steps\.meta\.outputs\.labels/);
    const dockerfile = await readFile(path.join(repoRoot, "Dockerfile"), "utf8");
    assert.match(dockerfile, /^ARG SOURCE=/m);
    assert.match(
      String(build["build-args"]),
      /^SOURCE=\$\{\{ github\.server_url \}\}\/\$\{\{ github\.repository \}\}$/m,
    );
  });
});

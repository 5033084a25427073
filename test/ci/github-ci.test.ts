// biome-ignore-all lint/suspicious/noTemplateCurlyInString: GitHub Actions expressions are the data under test
/**
 * `crossdock ci github` run as a user runs it (the CLI as a child process) on three fixture
 * repositories: the release workflow of test/fixtures/ci/release (build-push-action with literal
 * and templated tags, login-action), one using docker/metadata-action, one with `docker push` in a
 * script. Every file written is validated with GitHub's own workflow parser and read back for both
 * logins, both image names, `packages: write` and the source label; only the lines it means to add
 * or change differ; a second run changes nothing; a dry run writes nothing; bad YAML exits 2.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { structuredPatch } from "diff";
import { parse } from "yaml";
import { instantiate, listFiles } from "../helpers/fixture-repo.js";
import { fixturePath } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";
import { workflowErrors } from "../helpers/workflow-parser.js";

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, string | boolean>;
}
interface Job {
  readonly permissions?: Record<string, string> | string;
  readonly steps: readonly Step[];
}
interface Workflow {
  readonly permissions?: Record<string, string> | string;
  readonly on?: Record<string, unknown>;
  readonly jobs: Record<string, Job>;
}

const maintainFile = ".github/workflows/crossdock-maintain.yaml";
const label = "org.opencontainers.image.source=${{ github.server_url }}/${{ github.repository }}";

/** The lines `after` lacks from `before` (changed or removed), in order. */
function removedLines(before: string, after: string): string[] {
  return structuredPatch("a", "b", before, after, undefined, undefined, { context: 0 }).hunks.flatMap((h) =>
    h.lines.filter((l) => l.startsWith("-")).map((l) => l.slice(1)),
  );
}

/** The registries a job logs in to with docker/login-action (Docker Hub when `registry:` is absent). */
function loginRegistries(job: Job): string[] {
  return job.steps
    .filter((s) => s.uses?.startsWith("docker/login-action@"))
    .map((s) => String(s.with?.["registry"] ?? "docker.io"));
}

/** Whether the job's token may push packages, from the job's permissions or the workflow's. */
function canPushPackages(workflow: Workflow, job: Job): boolean {
  const permissions = job.permissions ?? workflow.permissions;
  return (
    permissions === "write-all" || (typeof permissions === "object" && permissions["packages"] === "write")
  );
}

describe("crossdock ci github", () => {
  let work: string;
  const vars = { SOURCE: "docker.io", TARGET: "ghcr.io" };

  before(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), "crossdock-ci-github-"));
  });
  after(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  /** A fresh copy of a fixture repository, and the text of each of its files as it was. */
  async function fixture(
    name: string,
    label: string,
    values: Record<string, string> = vars,
  ): Promise<{ repo: string; original: Map<string, string> }> {
    const repo = path.join(work, label);
    await instantiate(fixturePath("ci", name), repo, values);
    const original = new Map<string, string>();
    for (const file of await listFiles(repo))
      original.set(file, await readFile(path.join(repo, file), "utf8"));
    return { repo, original };
  }

  /** Runs `ci github --write`, checks every workflow validates, and returns the patched one and the maintain workflow. */
  async function writeAndRead(
    repo: string,
    workflowFile: string,
  ): Promise<{ text: string; workflow: Workflow; maintain: Workflow; maintainText: string }> {
    const run = await runCli(["ci", "github", "--write", repo]);
    assert.equal(run.code, 0, run.stderr);
    for (const file of (await listFiles(repo)).filter((f) => f.startsWith(".github/"))) {
      const content = await readFile(path.join(repo, file), "utf8");
      assert.deepEqual(await workflowErrors(path.basename(file), content), [], `${file} is a valid workflow`);
    }
    const text = await readFile(path.join(repo, workflowFile), "utf8");
    const maintainText = await readFile(path.join(repo, maintainFile), "utf8");
    return {
      text,
      workflow: parse(text) as Workflow,
      maintain: parse(maintainText) as Workflow,
      maintainText,
    };
  }

  /** A second run plans nothing and leaves every byte as the first run left it. */
  async function assertIdempotent(repo: string): Promise<void> {
    const before = new Map<string, string>();
    for (const file of await listFiles(repo)) before.set(file, await readFile(path.join(repo, file), "utf8"));
    const again = await runCli(["ci", "github", "--json", repo]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(JSON.parse(again.stdout).files, []);
    const rewrite = await runCli(["ci", "github", "--write", repo]);
    assert.equal(rewrite.code, 0, rewrite.stderr);
    for (const file of await listFiles(repo))
      assert.equal(await readFile(path.join(repo, file), "utf8"), before.get(file), `${file} unchanged`);
  }

  test("the release workflow: a second login, the target's tags, packages: write and the label; nothing else changes", async () => {
    const { repo, original } = await fixture("release", "release");
    const file = ".github/workflows/release.yaml";
    const { text, workflow, maintain } = await writeAndRead(repo, file);
    const job = workflow.jobs["publish"]!;
    assert.deepEqual(loginRegistries(job), ["docker.io", "ghcr.io"]);
    const ghcrLogin = job.steps.find((s) => s.with?.["registry"] === "ghcr.io")!;
    assert.equal(ghcrLogin.with?.["username"], "${{ github.actor }}");
    assert.equal(ghcrLogin.with?.["password"], "${{ secrets.GITHUB_TOKEN }}");
    const build = job.steps.find((s) => s.uses?.startsWith("docker/build-push-action@"))!;
    assert.deepEqual(String(build.with?.["tags"]).trim().split("\n"), [
      "docker.io/kubeflowkatib/katib-controller:latest",
      "docker.io/kubeflowkatib/katib-controller:${{ github.ref_name }}",
      "ghcr.io/kubeflow/katib/katib-controller:latest",
      "ghcr.io/kubeflow/katib/katib-controller:${{ github.ref_name }}",
    ]);
    assert.equal(build.with?.["labels"], label);
    assert.deepEqual(job.permissions, { contents: "read", packages: "write" });
    assert.notDeepEqual(
      await workflowErrors("release.yaml", text.replace("runs-on:", "runs_on:")),
      [],
      "the validator validates",
    );
    // Only insertions: every original line is still there, in order.
    assert.deepEqual(removedLines(original.get(file)!, text), []);
    assert.ok(maintain.on && "schedule" in maintain.on && "workflow_dispatch" in maintain.on);
    await assertIdempotent(repo);
  });

  test("docker/metadata-action: the target joins images:, the comment stays, metadata's labels carry the source", async () => {
    const { repo, original } = await fixture("metadata", "metadata");
    const file = ".github/workflows/images.yml";
    const { text, workflow } = await writeAndRead(repo, file);
    const job = workflow.jobs["ui"]!;
    assert.deepEqual(loginRegistries(job), ["docker.io", "ghcr.io"]);
    const meta = job.steps.find((s) => s.uses?.startsWith("docker/metadata-action@"))!;
    assert.deepEqual(String(meta.with?.["images"]).trim().split("\n"), [
      "docker.io/kubeflowkatib/katib-ui",
      "ghcr.io/kubeflow/katib/katib-ui",
    ]);
    assert.match(text, /images: \| {2}# the UI\n/);
    // The job's permissions replace the workflow's (contents: read), so they are repeated.
    assert.deepEqual(job.permissions, { contents: "read", packages: "write" });
    assert.ok(canPushPackages(workflow, job));
    assert.equal(workflow.jobs["lint"]!.permissions, undefined, "a job that publishes nothing is left alone");
    const build = job.steps.find((s) => s.uses?.startsWith("docker/build-push-action@"))!;
    assert.equal(build.with?.["labels"], "${{ steps.meta.outputs.labels }}");
    // The one line changed is the one-line images: value, now a block.
    assert.deepEqual(removedLines(original.get(file)!, text), [
      "          images: docker.io/kubeflowkatib/katib-ui  # the UI",
    ]);
    await assertIdempotent(repo);
  });

  test("docker push in a script: tag and push the target after each push, label the build, log in before", async () => {
    const { repo, original } = await fixture("docker-push", "docker-push");
    const file = ".github/workflows/publish.yaml";
    const { text, workflow } = await writeAndRead(repo, file);
    const job = workflow.jobs["push-images"]!;
    assert.deepEqual(loginRegistries(job), ["ghcr.io"]);
    const steps = job.steps;
    const loginAt = steps.findIndex((s) => s.uses?.startsWith("docker/login-action@"));
    const pushAt = steps.findIndex((s) => s.run?.includes("docker push"));
    assert.ok(loginAt >= 0 && loginAt < pushAt, "the login comes before the push");
    assert.deepEqual(steps[pushAt]!.run!.split("\n"), [
      "set -e",
      "docker push docker.io/kubeflowkatib/file-metrics-collector:${TAG}",
      "docker tag docker.io/kubeflowkatib/file-metrics-collector:${TAG} ghcr.io/kubeflow/katib/file-metrics-collector:${TAG}",
      "docker push ghcr.io/kubeflow/katib/file-metrics-collector:${TAG}",
      'echo "pushed"',
      "",
    ]);
    assert.ok(steps.some((s) => s.run?.includes(`docker build --label "${label}" -t`)));
    assert.deepEqual(job.permissions, { contents: "read", packages: "write" });
    assert.match(text, /contents: read {3}# checkout only\n {6}packages: write\n/);
    assert.deepEqual(removedLines(original.get(file)!, text), [
      "          docker build -t docker.io/kubeflowkatib/file-metrics-collector:${TAG} \\",
    ]);
    await assertIdempotent(repo);
  });

  test("the maintain workflow runs sync, then status --drift even after a failed sync, through the action", async () => {
    const { repo } = await fixture("release", "maintain");
    const { maintain, maintainText } = await writeAndRead(repo, ".github/workflows/release.yaml");
    const steps = maintain.jobs["maintain"]!.steps.filter((s) => s.uses?.endsWith("/crossdock@v1"));
    assert.deepEqual(
      steps.map((s) => [s.with?.["command"], s.with?.["args"]]),
      [
        ["sync", undefined],
        ["status", "--drift"],
      ],
    );
    assert.equal(steps[1]!.if, "${{ !cancelled() }}");
    assert.equal(steps[0]!.with?.["source-registry"], "docker.io");
    assert.equal(steps[0]!.with?.["source-password"], "${{ secrets.DOCKERHUB_TOKEN }}");
    assert.equal(steps[0]!.with?.["target-registry"], "ghcr.io");
    assert.equal(
      steps[0]!.with?.["target-password"],
      undefined,
      "GHCR: the action's default, the workflow token",
    );
    assert.deepEqual(maintain.permissions, { contents: "read", packages: "write" });
    // A person's edits to it survive: it is written only when missing.
    await writeFile(path.join(repo, maintainFile), `${maintainText}# edited\n`);
    assert.deepEqual(JSON.parse((await runCli(["ci", "github", "--json", repo])).stdout).files, []);
  });

  test("a registry other than GHCR: the login and the action take repository secrets, never the workflow token", async () => {
    const { repo } = await fixture("release", "other-hosts", {
      SOURCE: "registry.example.com:5000",
      TARGET: "127.0.0.1:5001",
    });
    const { workflow, maintain } = await writeAndRead(repo, ".github/workflows/release.yaml");
    const login = workflow.jobs["publish"]!.steps.find((s) => s.with?.["registry"] === "127.0.0.1:5001")!;
    assert.equal(login.with?.["password"], "${{ secrets.CROSSDOCK_TARGET_PASSWORD }}");
    const sync = maintain.jobs["maintain"]!.steps.find((s) => s.with?.["command"] === "sync")!;
    assert.equal(sync.with?.["target-password"], "${{ secrets.CROSSDOCK_TARGET_PASSWORD }}");
    assert.equal(sync.with?.["source-password"], "${{ secrets.CROSSDOCK_SOURCE_PASSWORD }}");
  });

  test("a dry run prints the diff and writes nothing", async () => {
    const { repo, original } = await fixture("release", "dry-run");
    const run = await runCli(["ci", "github", repo]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^\+ {12}ghcr\.io\/kubeflow\/katib\/katib-controller:latest$/m);
    assert.match(run.stdout, /^\+\+\+ b\/\.github\/workflows\/crossdock-maintain\.yaml$/m);
    assert.match(run.stdout, /dry run: nothing written/);
    assert.deepEqual(await listFiles(repo), [...original.keys()]);
    for (const [file, text] of original) assert.equal(await readFile(path.join(repo, file), "utf8"), text);
  });

  test("malformed workflow YAML, or no crossdock.yaml: exit 2, the file and line named, nothing written", async () => {
    const { repo, original } = await fixture("release", "bad-yaml");
    const bad = ".github/workflows/broken.yml";
    await writeFile(path.join(repo, bad), "name: broken\njobs:\n  build:\n    steps: [\n");
    const run = await runCli(["ci", "github", "--write", repo]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /\.github\/workflows\/broken\.yml:\d+: /);
    assert.deepEqual(await listFiles(repo), [...original.keys(), bad].sort());
    for (const [file, text] of original) assert.equal(await readFile(path.join(repo, file), "utf8"), text);

    await rm(path.join(repo, bad));
    await writeFile(path.join(repo, "crossdock.yaml"), "mappings:\n  - from: docker.io/x\n    to: [\n");
    const config = await runCli(["ci", "github", "--write", repo]);
    assert.equal(config.code, 2);
    assert.match(config.stderr, /crossdock\.yaml:\d+/);
    await rm(path.join(repo, "crossdock.yaml"));
    const none = await runCli(["ci", "github", "--write", repo]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no crossdock\.yaml/);
    assert.deepEqual(
      await listFiles(repo),
      [...original.keys()].filter((f) => f !== "crossdock.yaml"),
    );
  });
});

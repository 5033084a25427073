import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { judgeMigration, type MigrationFacts } from "../../src/demo/expectations.js";
import { unpublishedFile } from "../../src/demo/sample-repo.js";
import { buildDemoImages } from "../../src/demo/seed.js";
import { cliPath } from "../helpers/paths.js";

interface DemoRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs `crossdock demo ARGS` as a user would, with pipes (no terminal); `onStdout` may signal it. */
function runDemo(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  onStdout?: (text: string, kill: (signal: NodeJS.Signals) => void) => void,
): Promise<DemoRun> {
  const started = Date.now();
  const child = spawn(process.execPath, [cliPath, "demo", ...args], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
    onStdout?.(stdout, (signal) => child.kill(signal));
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
  return new Promise((resolve) =>
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    }),
  );
}

/** The two registry hosts from the demo's first step line. */
function hostsOf(stdout: string): { hub: string; ghcr: string } {
  const match = /"Docker Hub" at (127\.0\.0\.1:\d+) .* "GHCR" at (127\.0\.0\.1:\d+) /.exec(stdout);
  assert.ok(match, `no registry hosts in the output:\n${stdout}`);
  return { hub: match[1]!, ghcr: match[2]! };
}

test("crossdock demo --keep DIR migrates the sample repository to the GHCR host offline, in under a minute, and exits 0", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "crossdock-demo-test-"));
  try {
    const keep = path.join(dir, "kept");
    const run = await runDemo(["--keep", keep]);
    assert.equal(run.code, 0, `exit ${run.code}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
    assert.ok(run.ms < 60_000, `took ${run.ms} ms`);
    const { hub, ghcr } = hostsOf(run.stdout);
    const repo = path.join(keep, "repo");
    const read = (file: string): Promise<string> => readFile(path.join(repo, file), "utf8");

    const deployment = await read("manifests/v1beta1/components/controller/controller.yaml");
    assert.ok(
      deployment.includes(`          image: ${ghcr}/demo-org/katib/katib-controller:v0.18.0\n`),
      deployment,
    );
    const kustomization = await read("manifests/v1beta1/installs/katib-standalone/kustomization.yaml");
    assert.ok(
      kustomization.includes(
        `images:\n  - name: ${ghcr}/demo-org/katib/katib-controller\n    newTag: v0.18.0\n  - name: ${ghcr}/demo-org/katib/katib-ui\n    newTag: v0.18.0\n`,
      ),
      kustomization,
    );
    const values = await read("charts/katib/values.yaml");
    assert.ok(
      values.startsWith(
        `controller:\n  image:\n    registry: ${ghcr}\n    repository: demo-org/katib/katib-controller\n    tag: v0.18.0\n`,
      ),
      values,
    );
    const notebook = await read(unpublishedFile);
    assert.ok(notebook.includes(`base_image=\\"${ghcr}/demo-org/katib/mxnet-mnist:v0.18.0\\"`), notebook);
    // The pinned tag nobody published is not switched to a reference that cannot resolve.
    assert.ok(notebook.includes(`base_image=\\"${hub}/demo/pytorch-mnist:v0.12.0\\"`), notebook);
    assert.equal(JSON.parse(notebook).nbformat, 4);

    const lock = await read("crossdock.lock");
    const controllerDigest = buildDemoImages().get("demo/katib-controller:v0.18.0")?.root.digest;
    assert.ok(controllerDigest);
    assert.ok(
      lock.includes(
        `  - source: ${hub}/demo/katib-controller:v0.18.0\n    target: ${ghcr}/demo-org/katib/katib-controller:v0.18.0\n    digest: ${controllerDigest}\n`,
      ),
      lock,
    );

    assert.match(
      run.stdout,
      new RegExp(`pytorch-mnist:v0\\.12\\.0[^\\n]*${unpublishedFile.replace(/\./g, "\\.")}`),
    );
    // The phases around the switch: the dry run forecasts exactly what the real run changed, status
    // names the reference left on the source, and a rollback would restore every one of them.
    const forecast =
      /migrate --dry-run \(HEAD requests only, nothing written\): \d+ image\(s\) to copy, (\d+) reference/.exec(
        run.stdout,
      );
    const restorable = /rollback \(dry run\): would restore (\d+) reference/.exec(run.stdout);
    assert.ok(forecast && restorable, run.stdout);
    assert.equal(forecast[1], restorable[1], "the dry run's forecast is what the real run changed");
    assert.match(
      run.stdout,
      /ci github \(dry run; the parallel phase\): would patch \.github\/workflows\/release\.yaml and create \.github\/workflows\/crossdock-maintain\.yaml/,
    );
    assert.match(
      run.stdout,
      new RegExp(`status --drift: phase switch; source-reference ${unpublishedFile.replace(/\./g, "\\.")}:`),
    );
    const order = [
      "crossdock demo:",
      "- published the demo project",
      "## Container images",
      "## What changed in the repository",
      "## What the demo shows",
      "## Where everything is",
    ].map((text) => run.stdout.indexOf(text));
    assert.ok(
      order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]!)),
      `sections out of order: ${order}\n${run.stdout}`,
    );
    assert.ok(
      run.stdout.includes(`crossdock serve --storage ${path.join(keep, "registries", "hub")} --addr ${hub}`),
    );
    assert.deepEqual((await readdir(path.join(keep, "registries"))).sort(), ["ghcr", "hub"]);
    assert.doesNotMatch(run.stdout + run.stderr, /PASSWORD=/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("crossdock demo without --keep leaves nothing in the temporary directory it used", async () => {
  const tmp = await mkdtemp(path.join(os.tmpdir(), "crossdock-demo-tmpdir-"));
  try {
    const run = await runDemo([], { ...process.env, TMPDIR: tmp });
    assert.equal(run.code, 0, `exit ${run.code}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
    assert.match(run.stdout, /wrote a sample repository .*: (\S+)\n/);
    assert.ok(run.stdout.includes(tmp), "the demo did not work under TMPDIR");
    assert.match(run.stdout, /Everything was cleaned up/);
    assert.deepEqual(await readdir(tmp), []);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});

test("Ctrl-C during the demo stops it, exits 130 and removes its temporary files", async () => {
  const tmp = await mkdtemp(path.join(os.tmpdir(), "crossdock-demo-sigint-"));
  try {
    let sent = false;
    const run = await runDemo([], { ...process.env, TMPDIR: tmp }, (stdout, kill) => {
      if (!sent && stdout.includes('- started a "Docker Hub"')) {
        sent = true;
        kill("SIGINT");
      }
    });
    assert.ok(sent);
    assert.equal(run.code, 130, `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
    assert.match(run.stderr, /interrupted/);
    assert.deepEqual(await readdir(tmp), []);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});

test("crossdock demo --keep refuses a directory that is not empty, and leaves it alone", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "crossdock-demo-busy-"));
  try {
    await mkdir(path.join(dir, "mine"));
    await writeFile(path.join(dir, "mine", "notes.txt"), "keep me\n");
    const run = await runDemo(["--keep", dir]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /not empty/);
    assert.deepEqual(await readdir(dir), ["mine"]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

const expected: MigrationFacts = {
  ok: false,
  lockFile: cliPath, // any file that exists
  report: `pins 127.0.0.1:1/demo/pytorch-mnist:v0.12.0 in ${unpublishedFile}`,
  filesChanged: 17,
  edits: 34,
  failures: [
    "copy 127.0.0.1:1/demo/pytorch-mnist:v0.12.0: the source has no such tag or digest",
    "verify 127.0.0.1:2/demo-org/katib/pytorch-mnist:v0.12.0: missing",
  ],
};

test("the demo succeeds when only the never-published tag fails, and says so otherwise", () => {
  assert.deepEqual(judgeMigration(expected), { ok: true, problems: [] });
  const extra = judgeMigration({ ...expected, failures: [...expected.failures, "verify x: not public"] });
  assert.deepEqual(extra.problems, ["unexpected failure: verify x: not public"]);
  assert.equal(judgeMigration({ ...expected, ok: true, failures: [] }).ok, false);
  assert.equal(judgeMigration({ ...expected, report: "all good" }).ok, false);
  assert.equal(judgeMigration({ ...expected, filesChanged: 0, edits: 0 }).ok, false);
  const { lockFile: _, ...noLock } = expected;
  assert.equal(judgeMigration(noLock).ok, false);
});

/**
 * The phases around the switch, run as a user runs them (the CLI as a child process) on the
 * repository-shaped fixture between two docker-registry processes: `migrate --dry-run` plans
 * without writing anywhere, `rollback` restores the original bytes (all, or one path) while
 * crossdock.yaml still maps forward, and `status --drift` names what drifted after the switch.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { parse } from "yaml";
import { readLock } from "../../src/migrate/lock.js";
import { createSyntheticImage } from "../../src/oci/synthetic.js";
import { type DistributionRegistry, startDistribution } from "../helpers/distribution.js";
import { instantiate, listFiles, seedFixtureImages } from "../helpers/fixture-repo.js";
import { fixturePath } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";
import { seedImage } from "../helpers/seed.js";
import { skipUnless } from "../helpers/tools.js";
import { workflowErrors } from "../helpers/workflow-parser.js";

/** Asserts every file of `dir` has the bytes of the same file under `expected`, and no file is added. */
async function assertSameTree(dir: string, expected: string, message: string): Promise<void> {
  assert.deepEqual(await listFiles(dir), await listFiles(expected), `${message}: the same files`);
  for (const file of await listFiles(expected)) {
    assert.ok(
      (await readFile(path.join(dir, file))).equals(await readFile(path.join(expected, file))),
      `${message}: ${file}`,
    );
  }
}

describe("the phases: dry run, rollback and drift between two docker-registry processes", {
  skip: skipUnless("docker-registry", "skopeo"),
}, () => {
  let source: DistributionRegistry;
  let target: DistributionRegistry;
  let work: string;
  let vars: Record<string, string>;

  before(async () => {
    [source, target] = await Promise.all([startDistribution(), startDistribution()]);
    work = await mkdtemp(path.join(os.tmpdir(), "crossdock-phases-"));
    vars = { SOURCE: source.host, TARGET: target.host };
    await seedFixtureImages(source.url);
  });
  after(async () => {
    await Promise.all([source?.stop(), target?.stop()]);
    if (work) await rm(work, { recursive: true, force: true });
  });

  /** A fresh copy of the fixture repository (`repo`) and its untouched twin (`original`). */
  async function fixture(name: string): Promise<{ repo: string; original: string; golden: string }> {
    const repo = path.join(work, name, "repo");
    const original = path.join(work, name, "original");
    const golden = path.join(work, name, "golden");
    await instantiate(fixturePath("migrate", "repo"), repo, vars);
    await instantiate(fixturePath("migrate", "repo"), original, vars);
    await instantiate(fixturePath("migrate", "golden"), golden, vars);
    return { repo, original, golden };
  }

  test("migrate --dry-run plans with HEADs only: exit 0, nothing written on either registry or in the repository", async () => {
    const { repo, original } = await fixture("dry-run");
    source.clearAccessLog();
    target.clearAccessLog();
    const run = await runCli(["migrate", "--dry-run", "--quiet", repo]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /7 to copy, 0 failed/);
    assert.match(run.stdout, /15 reference\(s\) to change in \d+ file\(s\)/);
    // The release workflow's two tags are forecast as switched, though the target has neither yet.
    assert.match(run.stdout, /### Push destinations rewritten \(dry run: would be\)/);
    assert.match(
      run.stdout,
      /`\.github\/workflows\/release\.yaml:24` .*→ `127\.0\.0\.1:\d+\/kubeflow\/katib\/katib-controller`/,
    );
    assert.match(run.stdout, /release\.yaml:14` docker\/login-action logs in to `127\.0\.0\.1:\d+`/);
    assert.match(run.stdout, /at least 7 pull\(s\) from 127\.0\.0\.1:\d+'s budget/);
    assert.doesNotMatch(run.stdout, /not switched|cannot be switched/);
    await assertSameTree(repo, original, "the repository is untouched (no lock, no report)");
    for (const [name, registry] of [
      ["source", source],
      ["target", target],
    ] as const) {
      const log = registry.accessLog();
      assert.ok(log.length > 0, `${name}: the access log is read`);
      const writes = log.filter((e) => !["GET", "HEAD"].includes(e.method));
      assert.deepEqual(writes, [], `${name}: no request that writes`);
      const reads = log.filter((e) => e.method === "GET" && /\/(manifests|blobs)\//.test(e.path));
      assert.deepEqual(reads, [], `${name}: no manifest or blob GET, HEADs only`);
    }
  });

  test("ci github (the parallel phase): the release workflow publishes to both registries, GitHub's parser accepts every file, a second run changes nothing", async () => {
    const { repo, original } = await fixture("ci-github");
    const release = ".github/workflows/release.yaml";
    const dry = await runCli(["ci", "github", repo]);
    assert.equal(dry.code, 0, dry.stdout + dry.stderr);
    await assertSameTree(repo, original, "a dry run writes nothing");
    assert.match(dry.stdout, /note: .*crossdock-maintain\.yaml uses OWNER\/crossdock@v1: replace OWNER/);
    const run = await runCli(["ci", "github", "--write", repo]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    for (const file of [release, ".github/workflows/crossdock-maintain.yaml"]) {
      const text = await readFile(path.join(repo, file), "utf8");
      assert.deepEqual(await workflowErrors(file, text), [], `${file}: GitHub's parser accepts it`);
    }
    const patched = await readFile(path.join(repo, release), "utf8");
    const job = (
      parse(patched) as {
        jobs: Record<
          string,
          {
            permissions?: Record<string, string>;
            steps: Array<{ uses?: string; with?: Record<string, string> }>;
          }
        >;
      }
    ).jobs["publish"]!;
    const logins = job.steps
      .filter((s) => s.uses?.startsWith("docker/login-action@"))
      .map((s) => s.with?.["registry"]);
    assert.deepEqual(logins, [source.host, target.host], "logs in to both registries");
    const tags = job.steps.find((s) => s.uses?.startsWith("docker/build-push-action@"))?.with?.["tags"] ?? "";
    assert.match(tags, new RegExp(`${source.host}/kubeflowkatib/katib-controller:latest`));
    assert.match(tags, new RegExp(`${target.host}/kubeflow/katib/katib-controller:latest`));
    assert.equal(job.permissions?.["packages"], "write");
    // Every line of the original is still there, in order: ci github only inserts.
    const lines = patched.split("\n");
    let at = 0;
    for (const line of (await readFile(path.join(original, release), "utf8")).split("\n")) {
      at = lines.indexOf(line, at);
      assert.ok(at >= 0, `kept: ${line}`);
    }
    const again = await runCli(["ci", "github", "--write", repo]);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /nothing to change/);
    assert.equal(await readFile(path.join(repo, release), "utf8"), patched, "idempotent");
  });

  test("migrate --dry-run names what cannot be switched and why, and fails as the real run would", async () => {
    const { repo } = await fixture("dry-run-pinned");
    await writeFile(path.join(repo, "old.yaml"), `image: ${source.host}/kubeflowkatib/mxnet-mnist:v0.12.0\n`);
    const run = await runCli(["migrate", "--dry-run", "--quiet", repo]);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /cannot be switched.*mxnet-mnist:v0\.12\.0.*the source has no such tag/);
    assert.match(run.stdout, /`old\.yaml:1`/);
  });

  test("rollback restores one path, then everything, byte for byte, while crossdock.yaml still maps forward", async () => {
    const { repo, original, golden } = await fixture("rollback");
    const config = path.join(repo, "crossdock.yaml");
    const parallel = `phase: parallel\n${await readFile(config, "utf8")}`;
    await writeFile(config, parallel);
    await writeFile(path.join(original, "crossdock.yaml"), parallel);
    const migrated = await runCli(["migrate", "--quiet", repo]);
    assert.equal(migrated.code, 0, migrated.stdout + migrated.stderr);
    const forward = parallel.replace("phase: parallel", "phase: switch");
    assert.equal(await readFile(config, "utf8"), forward, "migrate records the switch, byte-exact");

    const dry = await runCli(["rollback", "--dir", repo, path.join(repo, "manifests")]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^-.*127\.0\.0\.1:\d+\/kubeflow\/katib\//m, "the diff removes target names");
    assert.match(dry.stdout, /would restore: \d+ reference\(s\) in 2 file\(s\)/);
    assert.equal(
      await readFile(path.join(repo, "manifests", "controller.yaml"), "utf8"),
      await readFile(path.join(golden, "manifests", "controller.yaml"), "utf8"),
      "a dry run writes nothing",
    );

    const one = await runCli(["rollback", "--dir", repo, "--write", path.join(repo, "manifests")]);
    assert.equal(one.code, 0, one.stdout + one.stderr);
    for (const file of await listFiles(golden)) {
      const expected = file.startsWith("manifests/") ? original : golden;
      assert.ok(
        (await readFile(path.join(repo, file))).equals(await readFile(path.join(expected, file))),
        `after rolling back manifests/: ${file}`,
      );
    }
    assert.equal(await readFile(config, "utf8"), forward, "some references still switched: the phase stays");

    const all = await runCli(["rollback", "--dir", repo, "--write"]);
    assert.equal(all.code, 0, all.stdout + all.stderr);
    assert.match(all.stdout, /phase: switch -> parallel/);
    const lock = await readLock(repo);
    assert.deepEqual(lock?.rewrites, [], "nothing is switched any more");
    assert.equal(lock?.rolledBack?.length, 15, "the lock records the 15 references rolled back");
    await rm(path.join(repo, "crossdock.lock"));
    await rm(path.join(repo, "crossdock-report.md"));
    await assertSameTree(repo, original, "every file as in the fixture, crossdock.yaml's phase moved back");
  });

  test("rollback refuses a file changed since crossdock wrote it, and writes nothing", async () => {
    const { repo, golden } = await fixture("rollback-changed");
    const migrated = await runCli(["migrate", "--quiet", repo]);
    assert.equal(migrated.code, 0, migrated.stdout + migrated.stderr);
    const makefile = path.join(repo, "Makefile");
    await writeFile(makefile, `${await readFile(makefile, "utf8")}# edited by hand\n`);
    const lockBefore = await readFile(path.join(repo, "crossdock.lock"), "utf8");
    const run = await runCli(["rollback", "--dir", repo, "--write"]);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /refused: Makefile changed since crossdock wrote it/);
    const docs = path.join("docs", "install.md");
    assert.equal(
      await readFile(path.join(repo, docs), "utf8"),
      await readFile(path.join(golden, docs), "utf8"),
      "the other files are not rolled back either",
    );
    assert.equal(
      await readFile(path.join(repo, "crossdock.lock"), "utf8"),
      lockBefore,
      "the lock is untouched",
    );
  });

  test("status --drift: clean after a migrate; a new source tag, a moved tag and a new file naming the source make it exit 1 and name each", async () => {
    const { repo } = await fixture("drift");
    const config = path.join(repo, "crossdock.yaml");
    const text = await readFile(config, "utf8");
    const to = `    to: ${target.host}/kubeflow/katib\n`;
    assert.ok(text.includes(to));
    await writeFile(
      config,
      `phase: switch\n${text.replace(to, `${to}    repositories: [katib-ui]\n    tags: { include: "v.*" }\n`)}`,
    );
    const migrated = await runCli(["migrate", "--quiet", repo]);
    assert.equal(migrated.code, 0, migrated.stdout + migrated.stderr);
    const clean = await runCli(["status", "--drift", repo]);
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    assert.match(clean.stdout, /^phase: switch \(recorded in crossdock\.yaml\)$/m);
    assert.match(clean.stdout, /^next: .*phase: maintain/m);
    assert.match(clean.stdout, /^drift: none$/m);
    assert.match(
      clean.stdout,
      /^blocked: CI still logs in to the old registry 127\.0\.0\.1:\d+ at \.github\/workflows\/release\.yaml:14 \(docker\/login-action\): run `crossdock ci github`$/m,
    );
    // The release workflow's :latest was never published: as a push destination it is listed, not checked.
    const verified = await runCli(["verify", "--no-public-check", repo]);
    assert.equal(verified.code, 0, verified.stdout + verified.stderr);
    assert.match(verified.stdout, /^push destinations \(where CI publishes; not verified\): 3$/m);
    assert.match(
      verified.stdout,
      /^ {2}127\.0\.0\.1:\d+\/kubeflow\/katib\/katib-controller:latest {2}at \.github\/workflows\/release\.yaml:23$/m,
    );

    const ui = (tag: string, seed: string) =>
      seedImage(source.url, "kubeflowkatib/katib-ui", createSyntheticImage({ seed, layerSizes: [512] }), tag);
    await ui("v0.19.0", "a new release");
    await ui("v0.18.0", "the tag moved");
    await writeFile(
      path.join(repo, "new.yaml"),
      `image: ${source.host}/kubeflowkatib/katib-controller:v0.18.0\n`,
    );
    source.clearAccessLog();
    const drifted = await runCli(["status", "--drift", repo]);
    assert.equal(drifted.code, 1, drifted.stdout + drifted.stderr);
    assert.match(drifted.stdout, /^drift: 3$/m);
    assert.match(
      drifted.stdout,
      new RegExp(`missing-tag  ${source.host}/kubeflowkatib/katib-ui:v0\\.19\\.0 `),
    );
    assert.match(
      drifted.stdout,
      new RegExp(`digest-differs  ${source.host}/kubeflowkatib/katib-ui:v0\\.18\\.0 `),
    );
    assert.match(drifted.stdout, /source-reference {2}new\.yaml:1 /);
    const pulls = source
      .accessLog()
      .filter((e) => e.method === "GET" && /\/(manifests|blobs)\//.test(e.path));
    assert.deepEqual(pulls, [], "HEADs and tag lists only: no pull from the source");
  });

  test("a second migrate (a tag published late) adds to the journal, and rollback still restores every file", async () => {
    const { repo, original } = await fixture("late-tag");
    const pin = `image: ${source.host}/kubeflowkatib/mxnet-mnist:v0.12.0\n`;
    await writeFile(path.join(repo, "old.yaml"), pin);
    await writeFile(path.join(original, "old.yaml"), pin);
    const first = await runCli(["migrate", "--quiet", repo]);
    assert.equal(first.code, 1, "the unpublished tag fails the first run");
    const image = createSyntheticImage({ seed: "published late", layerSizes: [512] });
    await seedImage(source.url, "kubeflowkatib/mxnet-mnist", image, "v0.12.0");
    const second = await runCli(["migrate", "--quiet", repo]);
    assert.equal(second.code, 0, second.stdout + second.stderr);
    assert.equal(
      await readFile(path.join(repo, "old.yaml"), "utf8"),
      `image: ${target.host}/kubeflow/katib/mxnet-mnist:v0.12.0\n`,
    );
    assert.equal((await readLock(repo))?.rewrites.length, 16, "the first run's 15 and the second's 1");
    const all = await runCli(["rollback", "--dir", repo, "--write"]);
    assert.equal(all.code, 0, all.stdout + all.stderr);
    await rm(path.join(repo, "crossdock.lock"));
    await rm(path.join(repo, "crossdock-report.md"));
    await assertSameTree(repo, original, "both runs rolled back");
  });
});

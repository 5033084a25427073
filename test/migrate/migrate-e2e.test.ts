import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { parse } from "yaml";
import { readLock } from "../../src/migrate/lock.js";
import { migrate } from "../../src/migrate/migrate.js";
import { RegistryClient } from "../../src/registry/client.js";
import { type DistributionRegistry, startDistribution } from "../helpers/distribution.js";
import { fixtureImages, instantiate, listFiles, seedFixtureImages } from "../helpers/fixture-repo.js";
import { fixturePath } from "../helpers/paths.js";
import { digestOf, skopeoRaw } from "../helpers/skopeo.js";
import { skipUnless } from "../helpers/tools.js";

describe("migrate: a repository-shaped fixture between two docker-registry processes", {
  skip: skipUnless("docker-registry", "skopeo"),
}, () => {
  let source: DistributionRegistry;
  let target: DistributionRegistry;
  let work: string;
  const digests = new Map<string, string>();

  before(async () => {
    [source, target] = await Promise.all([startDistribution(), startDistribution()]);
    work = await mkdtemp(path.join(os.tmpdir(), "crossdock-migrate-"));
    for (const [image, digest] of await seedFixtureImages(source.url)) digests.set(image, digest);
  });
  after(async () => {
    await Promise.all([source?.stop(), target?.stop()]);
    if (work) await rm(work, { recursive: true, force: true });
  });

  test("every file matches its golden copy, the lock holds the digests, verify passes, the registry has the images", async () => {
    const vars = { SOURCE: source.host, TARGET: target.host };
    const repo = path.join(work, "repo");
    const golden = path.join(work, "golden");
    await instantiate(fixturePath("migrate", "repo"), repo, vars);
    await instantiate(fixturePath("migrate", "golden"), golden, vars);
    const client = new RegistryClient();
    const anonymousClient = new RegistryClient();
    try {
      const result = await migrate({ dir: repo, client, anonymousClient });
      assert.deepEqual(result.failures, []);
      assert.equal(result.ok, true);
      assert.equal(result.verify?.ok, true);
      assert.equal(result.edits, 15, "the 15 references the golden copy changes");
      for (const file of await listFiles(golden)) {
        assert.equal(
          await readFile(path.join(repo, file), "utf8"),
          await readFile(path.join(golden, file), "utf8"),
          file,
        );
      }
      assert.equal((await stat(path.join(repo, "scripts/pull-images.sh"))).mode & 0o777, 0o755, "mode kept");

      const lock = await readLock(repo);
      assert.ok(lock);
      const controller = lock.images.find(
        (i) => i.source === `${source.host}/kubeflowkatib/katib-controller:v0.18.0`,
      );
      assert.equal(controller?.target, `${target.host}/kubeflow/katib/katib-controller:v0.18.0`);
      assert.equal(controller?.digest, digests.get("kubeflowkatib/katib-controller:v0.18.0"));
      assert.deepEqual(controller?.platforms, ["linux/amd64", "linux/arm64"]);
      assert.equal(controller?.owner, "own");
      assert.equal(
        lock.images.find((i) => i.source.endsWith("/library/mysql:8.0"))?.target,
        `${target.host}/kubeflow/katib/mirror/mysql:8.0`,
      );
      const lockText = await readFile(path.join(repo, "crossdock.lock"), "utf8");
      assert.equal(typeof parse(lockText), "object");

      for (const image of fixtureImages) {
        const targetRef = image.startsWith("library/")
          ? `${target.host}/kubeflow/katib/mirror/${image.slice("library/".length)}`
          : `${target.host}/kubeflow/katib/${image.slice("kubeflowkatib/".length)}`;
        assert.equal(digestOf(await skopeoRaw(targetRef)), digests.get(image), targetRef);
      }
      assert.match(result.report, /### Own images \(built or published here\)/);
      assert.match(result.report, /katib-controller:v0\.18\.0/);

      // The release workflow's tags are push destinations: switched though the target has neither
      // tag (CI writes them), listed as such, never verified nor copied.
      const release = ".github/workflows/release.yaml";
      const pushes = result.report.slice(result.report.indexOf("### Push destinations rewritten"));
      assert.match(
        pushes,
        new RegExp(`\`${release}:23\` .*→ \`${target.host}/kubeflow/katib/katib-controller:latest\``),
      );
      assert.match(
        pushes,
        new RegExp(`\`${release}:24\` .*→ \`${target.host}/kubeflow/katib/katib-controller\``),
      );
      assert.deepEqual(result.verify?.pushes.flatMap((p) => p.where).sort(), [
        `${release}:23`,
        `${release}:24`,
        "Makefile:1",
      ]);
      assert.ok(
        result.verify?.items.every((i) => !i.target.endsWith(":latest")),
        "the pushed :latest is not verified",
      );
      assert.ok(
        result.copies.every((c) => !c.source.endsWith(":latest")),
        "nor copied",
      );
      assert.deepEqual(
        result.staleLogins?.map((l) => [l.file, l.line, l.registry]),
        [[release, 14, source.host]],
      );
      assert.match(
        result.report,
        new RegExp(
          `${release}:14\` docker/login-action logs in to \`${source.host}\`: run \`crossdock ci github\``,
        ),
      );
      assert.match(await readFile(path.join(repo, "crossdock-report.md"), "utf8"), /registry migration/);

      const again = await migrate({ dir: repo, client, anonymousClient });
      assert.equal(again.edits, 0, "a second migration changes nothing");
      assert.deepEqual(again.copies, [], "every reference already points at the target: nothing to copy");
      assert.equal(again.verify?.ok, true, "verify, through the lock's exact pairs, still passes");
      assert.equal(
        await readFile(path.join(repo, "crossdock.lock"), "utf8"),
        lockText,
        "the lock is deterministic",
      );
    } finally {
      await Promise.all([client.close(), anonymousClient.close()]);
    }
  });

  test("a reference to a tag nobody published is caught and not switched", async () => {
    const repo = path.join(work, "pinned");
    await instantiate(fixturePath("migrate", "repo"), repo, { SOURCE: source.host, TARGET: target.host });
    await writeFile(
      path.join(repo, "examples", "old.yaml"),
      `image: ${source.host}/kubeflowkatib/mxnet-mnist:v0.12.0\n`,
    );
    // A file the scan cannot read may hold references too: the migration is not complete.
    await writeFile(path.join(repo, "examples", "blob.yaml"), Buffer.from("image: x\0\n"));
    const client = new RegistryClient();
    const anonymousClient = new RegistryClient();
    try {
      const result = await migrate({ dir: repo, client, anonymousClient });
      assert.equal(result.ok, false);
      assert.ok(
        result.failures.some((f) => f.includes("mxnet-mnist:v0.12.0")),
        result.failures.join("\n"),
      );
      assert.equal(
        await readFile(path.join(repo, "examples", "old.yaml"), "utf8"),
        `image: ${source.host}/kubeflowkatib/mxnet-mnist:v0.12.0\n`,
        "left pointing at the source",
      );
      assert.match(result.report, /not switched.*mxnet-mnist:v0\.12\.0/);
      assert.match(result.report, /examples\/old\.yaml:1/);
      assert.ok(
        result.failures.some((f) =>
          f.startsWith("not read, may hold references: examples/blob.yaml: binary"),
        ),
        result.failures.join("\n"),
      );
      assert.match(result.report, /\*\*not complete\*\*: 1 file.*\n {2}- `examples\/blob\.yaml`: binary/);
    } finally {
      await Promise.all([client.close(), anonymousClient.close()]);
    }
  });

  test("a failed reference keeps only itself at the source: the others on its line are switched", async () => {
    const repo = path.join(work, "one-line");
    await instantiate(fixturePath("migrate", "repo"), repo, { SOURCE: source.host, TARGET: target.host });
    const line = (good: string) =>
      `docker pull ${good}/kubeflowkatib/katib-ui:v0.18.0 && docker pull ${source.host}/kubeflowkatib/mxnet-mnist:v0.12.0\n`;
    await writeFile(path.join(repo, "examples", "pull.sh"), line(source.host));
    const client = new RegistryClient();
    const anonymousClient = new RegistryClient();
    try {
      const result = await migrate({ dir: repo, client, anonymousClient });
      assert.equal(result.ok, false, "the unpublished tag still fails the migration");
      assert.equal(
        await readFile(path.join(repo, "examples", "pull.sh"), "utf8"),
        line(`${target.host}/kubeflow`).replace("kubeflow/kubeflowkatib", "kubeflow/katib"),
        "katib-ui switched, mxnet-mnist:v0.12.0 left at the source",
      );
    } finally {
      await Promise.all([client.close(), anonymousClient.close()]);
    }
  });
});

test("a re-run that finds an image in sync keeps the platforms the lock recorded for that digest", async () => {
  const { mergeImages } = await import("../../src/migrate/migrate.js");
  const base = {
    source: "a/b:1",
    target: "c/b:1",
    mediaType: "application/vnd.oci.image.index.v1+json",
    owner: "own" as const,
  };
  const earlier = [{ ...base, digest: "sha256:1", platforms: ["linux/amd64", "linux/arm64"] }];
  assert.deepEqual(mergeImages(earlier, [{ ...base, digest: "sha256:1", platforms: [] }])[0]?.platforms, [
    "linux/amd64",
    "linux/arm64",
  ]);
  assert.deepEqual(
    mergeImages(earlier, [{ ...base, digest: "sha256:2", platforms: [] }])[0]?.platforms,
    [],
    "a new digest is not given old platforms",
  );
  assert.deepEqual(
    mergeImages(earlier, [{ ...base, digest: "sha256:2", platforms: ["linux/s390x"] }])[0]?.platforms,
    ["linux/s390x"],
  );
});

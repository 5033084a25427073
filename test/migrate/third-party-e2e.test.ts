import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { readLock } from "../../src/migrate/lock.js";
import { migrate } from "../../src/migrate/migrate.js";
import { projectStatus } from "../../src/migrate/project-status.js";
import { reportTitle } from "../../src/migrate/report-history.js";
import { createSyntheticImage } from "../../src/oci/synthetic.js";
import { RegistryClient } from "../../src/registry/client.js";
import { type DistributionRegistry, startDistribution } from "../helpers/distribution.js";
import { runCli } from "../helpers/run-cli.js";
import { seedImage } from "../helpers/seed.js";
import { digestOf, skopeoRaw } from "../helpers/skopeo.js";
import { skipUnless } from "../helpers/tools.js";

/** Single-platform images (no index), as most third-party and many own images are. */
const images = ["myorg/app:v1", "myorg/base:1", "kindest/node:v1.30"];

describe("thirdParty mirror and categories, the same in every command, between two docker-registry processes", {
  skip: skipUnless("docker-registry", "skopeo"),
}, () => {
  let source: DistributionRegistry;
  let target: DistributionRegistry;
  let repo: string;
  const digests = new Map<string, string>();

  before(async () => {
    [source, target] = await Promise.all([startDistribution(), startDistribution()]);
    for (const image of images) {
      const [name, tag] = image.split(":") as [string, string];
      const built = createSyntheticImage({ seed: image, index: false, layerSizes: [512] });
      await seedImage(source.url, name, built, tag);
      digests.set(image, built.root.digest);
    }
    repo = await mkdtemp(path.join(os.tmpdir(), "crossdock-third-party-"));
    const s = source.host;
    const t = target.host;
    const files: Record<string, string> = {
      Dockerfile: `FROM ${s}/myorg/base:1\nRUN true\n`,
      Makefile: `push:\n\tdocker build -t ${s}/myorg/app:v1 .\n\tdocker push ${s}/myorg/app:v1\n`,
      "manifests/deploy.yaml": `apiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n  containers:\n    - name: app\n      image: ${s}/myorg/app:v1\n`,
      // Someone else's image, used only in an example: what users pull most.
      "examples/kind.yaml": `kind: Cluster\nnodes:\n  - role: control-plane\n    image: ${s}/kindest/node:v1.30\n`,
      "crossdock.yaml": [
        "mappings:",
        `  - from: ${s}/myorg`,
        `    to: ${t}/myorg/proj`,
        `thirdParty: { action: mirror, mirror: ${t}/myorg/proj/mirror }`,
        "categories:",
        `  ${s}/myorg/app: { usage: example }`,
        "",
      ].join("\n"),
    };
    for (const [file, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(repo, file)), { recursive: true });
      await writeFile(path.join(repo, file), text);
    }
  });
  after(async () => {
    await Promise.all([source?.stop(), target?.stop()]);
    if (repo) await rm(repo, { recursive: true, force: true });
  });

  /** Where the mirror puts kindest/node from the source registry: its host kept, ':' as '-'. */
  const mirrored = (): string =>
    `${target.host}/myorg/proj/mirror/${source.host.replace(":", "-")}/kindest/node`;

  test("scan, rewrite and verify apply the mirror to a third-party image used only in examples", async () => {
    const scan = await runCli(["scan", "--json", repo]);
    assert.equal(scan.code, 0, scan.stderr);
    const found = JSON.parse(scan.stdout) as {
      images: Array<{ name: string; owner: string; usage: string; mapped?: string }>;
    };
    const byName = new Map(found.images.map((i) => [i.name.slice(source.host.length + 1), i]));
    assert.deepEqual(
      { ...byName.get("kindest/node") },
      { ...byName.get("kindest/node"), owner: "third-party", usage: "example", mapped: mirrored() },
    );
    // Own by evidence: the base sits in the namespace of the app built and pushed here.
    assert.equal(byName.get("myorg/base")?.owner, "own");
    assert.equal(byName.get("myorg/app")?.usage, "example", "set by configuration");

    const rewrite = await runCli(["rewrite", repo]);
    assert.equal(rewrite.code, 0, rewrite.stderr);
    assert.ok(rewrite.stdout.includes(`+    image: ${mirrored()}:v1.30`), rewrite.stdout);

    const verify = await runCli(["verify", "--no-public-check", repo]);
    assert.equal(verify.code, 1, "nothing copied yet");
    // The file still names the source: the message says so.
    assert.ok(
      verify.stdout.includes(
        `examples/kind.yaml:4 pins ${source.host}/kindest/node:v1.30, a tag nobody copied`,
      ),
      verify.stdout,
    );
  });

  test("migrate mirrors it, records owner, usage and the one platform, and a rerun keeps the first report", async () => {
    const client = new RegistryClient();
    const anonymousClient = new RegistryClient();
    try {
      const result = await migrate({ dir: repo, client, anonymousClient });
      assert.deepEqual(result.failures, []);
      assert.equal(digestOf(await skopeoRaw(`${mirrored()}:v1.30`)), digests.get("kindest/node:v1.30"));
      assert.equal(
        await readFile(path.join(repo, "examples/kind.yaml"), "utf8"),
        `kind: Cluster\nnodes:\n  - role: control-plane\n    image: ${mirrored()}:v1.30\n`,
      );
      const lock = await readLock(repo);
      const node = lock?.images.find((i) => i.source === `${source.host}/kindest/node:v1.30`);
      assert.deepEqual(
        { owner: node?.owner, usage: node?.usage, platforms: node?.platforms },
        { owner: "third-party", usage: "example", platforms: ["linux/amd64"] },
      );
      const base = lock?.images.find((i) => i.source === `${source.host}/myorg/base:1`);
      assert.equal(base?.owner, "own");

      const reportFile = path.join(repo, "crossdock-report.md");
      const first = await readFile(reportFile, "utf8");
      assert.ok(first.startsWith(reportTitle));
      assert.match(first, /3 image\(s\): 3 copied/);

      const again = await migrate({ dir: repo, client, anonymousClient });
      assert.equal(again.edits, 0);
      const both = await readFile(reportFile, "utf8");
      const runs = both.split(/^## Container images: registry migration, /m).slice(1);
      assert.equal(runs.length, 2, both);
      assert.match(runs[0] ?? "", /0 reference\(s\) changed/, "newest first");
      assert.match(runs[1] ?? "", /3 image\(s\): 3 copied/, "the run that did the work is still there");
    } finally {
      await Promise.all([client.close(), anonymousClient.close()]);
    }
  });

  test("after the switch, categories keyed by source names still apply, and status sees a new file naming a mirrored source", async () => {
    const scan = await runCli(["scan", "--json", repo]);
    const found = JSON.parse(scan.stdout) as {
      images: Array<{ name: string; owner: string; usage: string; evidence: string[] }>;
    };
    const app = found.images.find((i) => i.name === `${target.host}/myorg/proj/app`);
    assert.equal(app?.usage, "example", JSON.stringify(app));
    assert.ok(
      app?.evidence.includes(`usage set by configuration (${source.host}/myorg/app)`),
      JSON.stringify(app),
    );
    const node = found.images.find((i) => i.name === mirrored());
    assert.equal(node?.owner, "third-party");

    const client = new RegistryClient();
    const anonymousClient = new RegistryClient();
    try {
      const clean = await projectStatus({ dir: repo, drift: { client, anonymousClient } });
      assert.deepEqual(clean.drift, []);
      await writeFile(path.join(repo, "examples/extra.yaml"), `image: ${source.host}/kindest/node:v1.30\n`);
      const drifted = await projectStatus({ dir: repo, drift: { client, anonymousClient } });
      assert.deepEqual(
        drifted.drift?.map((d) => [d.kind, d.subject]),
        [["source-reference", "examples/extra.yaml:1"]],
      );
    } finally {
      await Promise.all([client.close(), anonymousClient.close()]);
    }
  });
});

/**
 * A sync divided among machines, with the CLI run as the runners run it (child processes of
 * bin/crossdock.js, at once): a plan from tag lists alone, shards of it chosen by flag or by the
 * environment a Kubernetes Indexed Job or a GitHub matrix sets, results merged into one
 * crossdock.lock that equals one machine's, one pull budget shared by four shards without a 429,
 * and a shard killed with SIGKILL that leaves no tag on an incomplete image and finishes on rerun.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { digestOfPlan, parseSyncPlan } from "../../src/copy/plan-file.js";
import { createSyntheticImage } from "../../src/oci/synthetic.js";
import type { DistributionRegistry } from "../helpers/distribution.js";
import { isComplete, listTags } from "../helpers/image-checks.js";
import { registryKinds } from "../helpers/registries.js";
import { seedImage } from "../helpers/seed.js";
import { startServeRegistry } from "../helpers/serve.js";
import { digestOf, skopeoRaw } from "../helpers/skopeo.js";
import { type Exit, spawnCli } from "../helpers/spawn-cli.js";

/** Repositories of different sizes (so shares must cut or group them), and one tag the policy drops. */
const project: Record<string, string[]> = {
  a: ["v1.0", "v1.1", "v1.2", "v1.3", "v1.4", "v1.5", "dev"],
  b: ["v2.0", "v2.1", "v2.2"],
  c: ["v3.0"],
  d: ["v4.0", "v4.1"],
};
const selected = Object.entries(project).flatMap(([repo, tags]) =>
  tags.filter((t) => t !== "dev").map((t) => `${repo}:${t}`),
);

async function seedProject(registry: DistributionRegistry, layerSize = 4096): Promise<void> {
  for (const [repo, tags] of Object.entries(project))
    for (const tag of tags) {
      const image = createSyntheticImage({ seed: `shards/${repo}/${tag}`, layerSizes: [layerSize] });
      await seedImage(registry.url, `org/${repo}`, image, tag);
    }
}

/** `crossdock sync` of the project's version tags (the policy drops `dev`), repositories named in `repos`' order. */
function syncProject(
  source: DistributionRegistry,
  target: DistributionRegistry,
  repos = "a,b,c,d",
): string[] {
  return [
    "sync",
    "--from",
    `${source.host}/org`,
    "--to",
    `${target.host}/org`,
    "--repos",
    repos,
    "--tags",
    "v.*",
  ];
}

/** The environment each of four shards gets: a flag, a GitHub matrix's variable, an Indexed Job's pair. */
const shardWays: { args: string[]; env: Record<string, string> }[] = [
  { args: ["--shard", "0/4"], env: {} },
  { args: [], env: { CROSSDOCK_SHARD: "1/4" } },
  { args: [], env: { JOB_COMPLETION_INDEX: "2", CROSSDOCK_SHARDS: "4" } },
  { args: [], env: { JOB_COMPLETION_INDEX: "3", CROSSDOCK_SHARDS: "4" } },
];

/** Runs four shards at once, each writing dir/shard-I.json. */
async function runShards(dir: string, args: readonly string[]): Promise<Exit[]> {
  return await Promise.all(
    shardWays.map((way, i) =>
      spawnCli([...args, ...way.args, "--result-out", path.join(dir, `shard-${i}.json`)], { env: way.env }),
    ),
  );
}

const shardFiles = (dir: string): string[] => [0, 1, 2, 3].map((i) => path.join(dir, `shard-${i}.json`));

describe("a plan, its shards and lock merge (crossdock serve)", () => {
  let source: DistributionRegistry;
  let target: DistributionRegistry;
  let dir: string;
  let planFile: string;
  let port: number;

  before(async () => {
    [source, target] = await Promise.all([startServeRegistry(), startServeRegistry()]);
    port = Number(target.host.split(":")[1]);
    await seedProject(source);
    dir = await mkdtemp(path.join(os.tmpdir(), "crossdock-shards-"));
    planFile = path.join(dir, "plan.json");
  });
  after(async () => {
    await Promise.all([source?.stop(), target?.stop()]);
    await rm(dir, { recursive: true, force: true });
  });

  /** The target, emptied: a fresh registry on the same port, so plans and locks name the same host. */
  async function freshTarget(): Promise<void> {
    await target.stop();
    target = await startServeRegistry({ port });
  }

  const listing = () => syncProject(source, target, "d,b,a,c");

  test("--plan-out lists every selected repository and tag, sorted, from tag lists alone", async () => {
    source.clearAccessLog();
    const result = await spawnCli([...listing(), "--plan-out", planFile, "--json"]);
    assert.equal(result.code, 0, result.stderr);
    const summary = JSON.parse(result.stdout) as { repositories: number; tags: number };
    assert.deepEqual([summary.repositories, summary.tags], [4, selected.length]);
    const plan = parseSyncPlan(await readFile(planFile, "utf8"), planFile);
    const planned = plan.mappings[0]!.repositories.flatMap((r) => r.tags.map((t) => `${r.repository}:${t}`));
    assert.deepEqual(planned, [...selected].sort(), "every selected tag, sorted, the dropped one absent");
    assert.deepEqual(
      source.accessLog().filter((e) => e.path.includes("/manifests/")),
      [],
      "no manifest GET or HEAD: a plan costs no pull",
    );
    const again = path.join(dir, "plan-again.json");
    assert.equal((await spawnCli([...listing(), "--plan-out", again])).code, 0);
    assert.equal(
      await readFile(again, "utf8"),
      await readFile(planFile, "utf8"),
      "the same listing, the same bytes",
    );
  });

  test("bad plan input is exit 2, naming the file; --plan with a flag that chooses tags too", async () => {
    const notPlan = path.join(dir, "plan-again.json.missing");
    const missing = await spawnCli(["sync", "--plan", notPlan]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /plan-again\.json\.missing: cannot read/);
    const both = await spawnCli(["sync", "--plan", planFile, "--tags", "v1.*"]);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /decides the repositories and tags: drop --tags/);
    const nowhere = await spawnCli([
      "sync",
      "--plan",
      planFile,
      "--result-out",
      path.join(dir, "no", "r.json"),
    ]);
    assert.equal(nowhere.code, 2);
    assert.match(nowhere.stderr, /--result-out .*r\.json: no such directory/);
    const badShard = await spawnCli(["sync", "--plan", planFile], { env: { CROSSDOCK_SHARDS: "4" } });
    assert.equal(badShard.code, 2);
    assert.match(badShard.stderr, /JOB_COMPLETION_INDEX is not/);
  });

  test("four shards of the plan, run at once, merge into the same crossdock.lock as one machine", async () => {
    const single = await spawnCli([
      "sync",
      "--plan",
      planFile,
      "--result-out",
      path.join(dir, "single.json"),
    ]);
    assert.equal(single.code, 0, single.stderr + single.stdout);
    const singleLock = path.join(dir, "single.lock");
    const mergedSingle = await spawnCli([
      "lock",
      "merge",
      path.join(dir, "single.json"),
      "--lock",
      singleLock,
    ]);
    assert.equal(mergedSingle.code, 0, mergedSingle.stderr);

    await freshTarget();
    const shards = await runShards(dir, ["sync", "--plan", planFile, "--jobs", "2"]);
    for (const shard of shards) assert.equal(shard.code, 0, shard.stderr + shard.stdout);
    const written = new Map<string, number>();
    for (const file of shardFiles(dir)) {
      const result = JSON.parse(await readFile(file, "utf8")) as { images: { source: string }[] };
      assert.ok(result.images.length > 0, `${file}: every shard has work`);
      for (const image of result.images) written.set(image.source, (written.get(image.source) ?? 0) + 1);
    }
    assert.equal(written.size, selected.length, "every planned tag was written");
    assert.deepEqual([...new Set(written.values())], [1], "no tag written by two shards");

    const shardedLock = path.join(dir, "sharded.lock");
    const report = path.join(dir, "report.md");
    const merged = await spawnCli([
      "lock",
      "merge",
      ...shardFiles(dir),
      "--lock",
      shardedLock,
      "--report",
      report,
    ]);
    assert.equal(merged.code, 0, merged.stderr + merged.stdout);
    const lock = await readFile(shardedLock, "utf8");
    assert.equal(lock, await readFile(singleLock, "utf8"), "the shards' lock is byte for byte one machine's");
    assert.match(await readFile(report, "utf8"), /4 shards: \*\*complete\*\*/);
    // The lock's digests are what an independent client reads on the target, for every tag.
    for (const ref of selected) {
      const digest = digestOf(await skopeoRaw(`${target.host}/org/${ref}`));
      assert.ok(
        lock.includes(`target: ${target.host}/org/${ref}\n    digest: ${digest}`),
        `${ref} ${digest}`,
      );
    }
    assert.equal(lock.match(/platforms:\n\s+- linux\/amd64\n\s+- linux\/arm64/g)?.length, selected.length);
  });

  test("without --plan, each shard lists on its own and computes the same shares", async () => {
    await freshTarget();
    const shards = await runShards(dir, listing());
    for (const shard of shards) assert.equal(shard.code, 0, shard.stderr + shard.stdout);
    const planDigest = digestOfPlan(parseSyncPlan(await readFile(planFile, "utf8"), planFile));
    for (const file of shardFiles(dir))
      assert.equal((JSON.parse(await readFile(file, "utf8")) as { plan: string }).plan, planDigest, file);
    const lockFile = path.join(dir, "listed.lock");
    const merged = await spawnCli(["lock", "merge", ...shardFiles(dir), "--lock", lockFile]);
    assert.equal(merged.code, 0, merged.stderr);
    assert.equal(await readFile(lockFile, "utf8"), await readFile(path.join(dir, "single.lock"), "utf8"));
  });

  test("lock merge: a missing shard is exit 1 and named; a file that is not a result is exit 2", async () => {
    const partial = await spawnCli([
      "lock",
      "merge",
      ...shardFiles(dir).slice(1),
      "--lock",
      path.join(dir, "p.lock"),
    ]);
    assert.equal(partial.code, 1);
    assert.match(partial.stdout, /shards missing: 0/);
    const wrong = await spawnCli(["lock", "merge", planFile, "--lock", path.join(dir, "w.lock")]);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /plan\.json: not a crossdock sync result/);
  });
});

describe("four shards on one pull budget (crossdock serve --pull-limit)", () => {
  let source: DistributionRegistry;
  let target: DistributionRegistry;
  let dir: string;
  const windowSeconds = 6;

  before(async () => {
    // 12 two-platform images cost 36 pulls (index and two children each); 30 fit in the window: the
    // first run stops with some pending, and what is left fits in the next window.
    source = await startServeRegistry({ pullLimit: { limit: 30, windowSeconds } });
    target = await startServeRegistry();
    await seedProject(source);
    dir = await mkdtemp(path.join(os.tmpdir(), "crossdock-shard-budget-"));
  });
  after(async () => {
    await Promise.all([source?.stop(), target?.stop()]);
    await rm(dir, { recursive: true, force: true });
  });

  test("they stop cleanly at the reserve with no 429, the rest pending, and finish on rerun", async () => {
    const args = (maxWait: string) => [
      ...syncProject(source, target),
      "--reserve",
      "3",
      "--max-wait",
      maxWait,
      "--jobs",
      "2",
    ];
    source.clearAccessLog();
    const first = await runShards(dir, args("1s"));
    for (const shard of first) assert.ok(shard.code === 0 || shard.code === 1, shard.stderr);
    let log = source.accessLog();
    assert.equal(log.filter((e) => e.status === 429).length, 0, "no 429 drawn by the group");
    const pulls = log.filter((e) => e.method === "GET" && e.path.includes("/manifests/")).length;
    assert.ok(pulls <= 30 - 3, `the group left the reserve: ${pulls} pulls of 30`);
    const merge = await spawnCli([
      "lock",
      "merge",
      ...shardFiles(dir),
      "--lock",
      path.join(dir, "first.lock"),
    ]);
    assert.equal(merge.code, 1, "pending tags: not complete");
    const pending = Number(/(\d+) pending/.exec(merge.stdout)?.[1]);
    assert.ok(pending > 0 && pending < selected.length, merge.stdout);

    // The window slides past the first run's pulls; the rerun finishes what is pending.
    await new Promise((resolve) => setTimeout(resolve, windowSeconds * 1000 + 500));
    source.clearAccessLog();
    const rerun = await runShards(dir, args("20s"));
    for (const shard of rerun) assert.equal(shard.code, 0, shard.stderr + shard.stdout);
    log = source.accessLog();
    assert.equal(log.filter((e) => e.status === 429).length, 0, "no 429 on the rerun either");
    const merged = await spawnCli([
      "lock",
      "merge",
      ...shardFiles(dir),
      "--lock",
      path.join(dir, "done.lock"),
    ]);
    assert.equal(merged.code, 0, merged.stdout);
    for (const ref of selected) {
      const [repo, tag] = ref.split(":") as [string, string];
      assert.ok(await isComplete(target.url, `org/${repo}`, tag), ref);
    }
  });
});

for (const kind of registryKinds)
  describe(`a shard killed with SIGKILL (${kind.name})`, { skip: kind.skip }, () => {
    let source: DistributionRegistry;
    let target: DistributionRegistry;

    before(async () => {
      [source, target] = await Promise.all([kind.start(), kind.start()]);
      await seedProject(source, 256 * 1024);
    });
    after(async () => {
      await Promise.all([source?.stop(), target?.stop()]);
    });

    test("leaves no tag on an incomplete image, and its rerun finishes the share", async () => {
      const args = [...syncProject(source, target), "--shard", "0/2", "--jobs", "1", "--blob-jobs", "1"];
      let killed = false;
      const first = await spawnCli(args, {
        onStderr: (text, child) => {
          if (!killed && /^copied /m.test(text)) {
            killed = true;
            child.kill("SIGKILL");
          }
        },
      });
      assert.equal(first.signal, "SIGKILL", `the shard finished before it could be killed: ${first.stderr}`);
      const tagged = async () => {
        const all: string[] = [];
        for (const repo of Object.keys(project))
          for (const tag of await listTags(target.url, `org/${repo}`)) all.push(`${repo}:${tag}`);
        return all;
      };
      const before = await tagged();
      assert.ok(before.length >= 1, "the first image was tagged before the kill");
      for (const ref of before) {
        const [repo, tag] = ref.split(":") as [string, string];
        assert.ok(await isComplete(target.url, `org/${repo}`, tag), `${ref} is tagged but incomplete`);
      }
      const rerun = await spawnCli(args);
      assert.equal(rerun.code, 0, rerun.stderr + rerun.stdout);
      const after = await tagged();
      assert.ok(after.length > before.length && after.length < selected.length, "shard 0 of 2: about half");
      for (const ref of after) {
        const [repo, tag] = ref.split(":") as [string, string];
        assert.ok(await isComplete(target.url, `org/${repo}`, tag), ref);
        const sourceDigest = digestOf(await skopeoRaw(`${source.host}/org/${ref}`));
        assert.equal(digestOf(await skopeoRaw(`${target.host}/org/${ref}`)), sourceDigest, ref);
      }
    });
  });

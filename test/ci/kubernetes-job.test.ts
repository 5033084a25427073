/**
 * `crossdock ci kubernetes`, generated, validated against Kubernetes' own schemas
 * (kubernetes-models), and run: each pod's container command started locally (bin/crossdock.js
 * for the image's `crossdock`) with the env, the ConfigMap and the Secret the pod would get, all
 * shards at once against a rate-limited `crossdock serve`, results pushed to the target as OCI
 * artifacts, then the merge Job's command, whose lock must equal one machine's.
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { Job } from "kubernetes-models/batch/v1";
import { ConfigMap, Secret } from "kubernetes-models/v1";
import { parseAllDocuments } from "yaml";
import { createSyntheticImage } from "../../src/oci/synthetic.js";
import { version } from "../../src/version.js";
import { seedImage } from "../helpers/seed.js";
import {
  type ShardRegistries,
  shardProjectTags,
  singleMachineLock,
  startShardRegistries,
} from "../helpers/shard-registries.js";
import { type Exit, spawnCli } from "../helpers/spawn-cli.js";

interface Container {
  command: string[];
  args: string[];
  env: { name: string; value: string }[];
  volumeMounts: { name: string; mountPath: string }[];
}
interface Volume {
  name: string;
  configMap?: { name: string };
  secret?: { secretName: string; items: { key: string; path: string }[] };
}
interface PodJob {
  metadata: { name: string };
  spec: {
    completions: number;
    parallelism?: number;
    completionMode?: string;
    backoffLimitPerIndex?: number;
    suspend?: boolean;
    podFailurePolicy: { rules: { action: string; onExitCodes: { values: number[] } }[] };
    template: { spec: { restartPolicy: string; containers: Container[]; volumes: Volume[] } };
  };
}
type Manifest = { kind: string; metadata: { name: string }; data?: Record<string, string> };

const shards = 3;

/** The Secret a user creates from their docker config (README: kubectl create secret docker-registry). */
function dockerConfigSecret(name: string, config: string): Record<string, unknown> {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name },
    type: "kubernetes.io/dockerconfigjson",
    data: { ".dockerconfigjson": Buffer.from(config).toString("base64") },
  };
}

/**
 * What a pod of `job` sees, made on disk: each volume (the ConfigMap's keys, the Secret's items
 * under their paths) in a directory standing for its mountPath, and the container's command with
 * its args and env, mount paths replaced by those directories.
 */
async function materialisePod(
  job: PodJob,
  objects: { configMaps: Manifest[]; secrets: Record<string, unknown>[] },
  dir: string,
): Promise<{ args: string[]; env: Record<string, string> }> {
  const { containers, volumes } = job.spec.template.spec;
  const container = containers[0]!;
  assert.deepEqual(container.command, ["crossdock"], "the image's crossdock, which the test runs from bin/");
  const mounts = new Map<string, string>();
  for (const mount of container.volumeMounts) {
    const volume = volumes.find((v) => v.name === mount.name)!;
    const local = path.join(dir, mount.name);
    await mkdir(local, { recursive: true });
    if (volume.configMap) {
      const data = objects.configMaps.find((c) => c.metadata.name === volume.configMap!.name)!.data!;
      for (const [key, value] of Object.entries(data)) await writeFile(path.join(local, key), value);
    } else if (volume.secret) {
      const secret = objects.secrets.find(
        (s) => (s["metadata"] as { name: string }).name === volume.secret!.secretName,
      ) as { data: Record<string, string> };
      for (const item of volume.secret.items)
        await writeFile(path.join(local, item.path), Buffer.from(secret.data[item.key]!, "base64"));
    }
    mounts.set(mount.mountPath, local);
  }
  const local = (text: string): string => {
    for (const [mountPath, dirPath] of mounts) text = text.replaceAll(mountPath, dirPath);
    return text;
  };
  return {
    args: container.args.map(local),
    env: Object.fromEntries(container.env.map((e) => [e.name, local(e.value)])),
  };
}

describe("crossdock ci kubernetes: the Indexed Job and its merge, validated and run", () => {
  let dir: string;
  let registries: ShardRegistries;
  let dockerConfigDir: string;
  let planFile: string;
  let objects: Manifest[];

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "crossdock-ci-kubernetes-"));
    registries = await startShardRegistries(path.join(dir, "registries"));
    dockerConfigDir = path.join(dir, "docker");
    await mkdir(dockerConfigDir);
    await writeFile(path.join(dockerConfigDir, "config.json"), registries.dockerConfig);
    // crossdock's own image, as the release workflow would have pushed this version (any image will do).
    await seedImage(
      registries.source.url,
      "tools/crossdock",
      createSyntheticImage({ seed: "tool" }),
      version,
    );
    planFile = path.join(dir, "plan.json");
    const plan = await spawnCli(
      [
        "sync",
        "--from",
        `${registries.sourceHost}/org`,
        "--to",
        `${registries.targetHost}/org`,
        "--repos",
        "a,b,c,d",
        "--plan-out",
        planFile,
      ],
      { env: { DOCKER_CONFIG: dockerConfigDir } },
    );
    assert.equal(plan.code, 0, plan.stderr);
  });
  after(async () => {
    await registries?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test("writes a ConfigMap, an Indexed Job and a suspended merge Job that Kubernetes' schemas accept", async () => {
    const out = path.join(dir, "job.yaml");
    const generated = await spawnCli([
      "ci",
      "kubernetes",
      "--shards",
      String(shards),
      "--parallelism",
      String(shards),
      "--plan",
      planFile,
      "--image",
      `${registries.sourceHost}/tools/crossdock`,
      "--out",
      out,
    ]);
    assert.equal(generated.code, 0, generated.stderr);
    objects = parseAllDocuments(await readFile(out, "utf8")).map((d) => d.toJS() as Manifest);
    assert.deepEqual(
      objects.map((o) => o.kind),
      ["ConfigMap", "Job", "Job"],
    );
    const [configMap, job, merge] = objects as [Manifest, PodJob & Manifest, PodJob & Manifest];
    new ConfigMap(configMap as never).validate();
    new Job(job as never).validate();
    new Job(merge as never).validate();
    new Secret(dockerConfigSecret("crossdock-registry-auth", registries.dockerConfig) as never).validate();
    assert.throws(
      () => new Job({ ...job, spec: { ...job.spec, completions: "three" } } as never).validate(),
      /completions/,
      "the validator validates",
    );

    assert.equal(
      configMap.data!["plan.json"],
      await readFile(planFile, "utf8"),
      "the plan rides in the ConfigMap",
    );
    assert.equal(job.spec.completionMode, "Indexed");
    assert.equal(job.spec.completions, shards);
    assert.equal(job.spec.parallelism, shards);
    assert.ok((job.spec.backoffLimitPerIndex ?? 0) > 0);
    assert.deepEqual(
      job.spec.podFailurePolicy.rules.map((r) => [r.action, r.onExitCodes.values]),
      [["FailIndex", [2]]],
      "bad usage (exit 2) fails its index instead of being retried",
    );
    assert.equal(merge.spec.suspend, true, "the merge waits to be resumed after the shards");
    const image = (job.spec.template.spec.containers[0] as unknown as { image: string }).image;
    assert.match(
      image,
      new RegExp(`^${registries.sourceHost}/tools/crossdock:${version}@sha256:[0-9a-f]{64}$`),
    );
  });

  test("bad input is exit 2 naming what is wrong, before anything is written", async () => {
    const out = path.join(dir, "never.yaml");
    const base = ["ci", "kubernetes", "--shards", "2", "--plan", planFile, "--out", out];
    const cases: [string[], RegExp][] = [
      [base, /--image: name crossdock's image/],
      [
        [...base, "--image", `${registries.sourceHost}/tools/crossdock:no-such-tag`],
        /no such image; give --image REPO@sha256/,
      ],
      [
        [
          "ci",
          "kubernetes",
          "--shards",
          "2",
          "--plan",
          path.join(dir, "nope.json"),
          "--image",
          "x@sha256:" + "0".repeat(64),
        ],
        /nope\.json: cannot read/,
      ],
      [[...base, "--shards", "0", "--image", "x"], /--shards: want a whole number/],
      [
        ["sync", "--plan", planFile, "--result-push", `${registries.targetHost}/r:tag`],
        /name a repository, without tag or digest/,
      ],
      [["sync", "--plan", planFile, "--run-id", "has space"], /--run-id "has space": use 1 to 64/],
      [
        ["lock", "merge", "--from-registry", `${registries.targetHost}/org/crossdock-results`],
        /needs --run-id/,
      ],
    ];
    for (const [args, message] of cases) {
      const run = await spawnCli(args, { env: { DOCKER_CONFIG: path.join(dir, "docker") } });
      assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
      assert.match(run.stderr, message, args.join(" "));
    }
    await assert.rejects(readFile(out), /ENOENT/);
  });

  test("its pods, run at once with the env Kubernetes gives them, then the merge: one machine's lock, no 429", async () => {
    const [, job, merge] = objects as [Manifest, PodJob, PodJob];
    const secrets = [dockerConfigSecret("crossdock-registry-auth", registries.dockerConfig)];
    const configMaps = objects.filter((o) => o.kind === "ConfigMap");
    const runPod = async (which: PodJob, name: string, index?: number): Promise<Exit> => {
      const pod = await materialisePod(which, { configMaps, secrets }, path.join(dir, "pods", name));
      return await spawnCli(pod.args, {
        env: { ...pod.env, ...(index !== undefined ? { JOB_COMPLETION_INDEX: String(index) } : {}) },
      });
    };
    const pods = await Promise.all(Array.from({ length: shards }, (_, i) => runPod(job, `shard-${i}`, i)));
    for (const pod of pods) assert.equal(pod.code, 0, pod.stderr + pod.stdout);
    assert.doesNotMatch(registries.source.stderr(), /" 429 /, "the shards shared the pull budget");

    const merged = await runPod(merge, "merge");
    assert.equal(merged.code, 0, merged.stderr);
    assert.match(merged.stderr, new RegExp(`${shardProjectTags.length} images; 0 pending, 0 failed`));

    assert.equal(merged.stdout, await singleMachineLock(registries, dir), "one machine's lock");
    for (const tag of shardProjectTags) assert.ok(merged.stdout.includes(`/org/${tag}\n`), tag);
  });
});

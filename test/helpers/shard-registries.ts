import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { createSyntheticImage } from "../../src/oci/synthetic.js";
import { seedImage } from "./seed.js";
import { startServeRegistry } from "./serve.js";
import { type ServeProcess, startServeProcess } from "./serve-process.js";
import { spawnCli } from "./spawn-cli.js";

/** Repositories of different sizes (shares must cut or group them): 12 two-platform images, 36 pulls. */
export const shardProject: Record<string, string[]> = {
  a: ["v1.0", "v1.1", "v1.2", "v1.3", "v1.4", "v1.5"],
  b: ["v2.0", "v2.1", "v2.2"],
  c: ["v3.0"],
  d: ["v4.0", "v4.1"],
};

/** What a generated runner runs against: a rate-limited source and a target that wants a login. */
export interface ShardRegistries {
  /** `crossdock serve --pull-limit 90/1h` (Docker Hub's 429 past it), seeded with shardProject under org/. */
  readonly source: ServeProcess;
  /** `crossdock serve --auth`: every request needs the login in `dockerConfig`. */
  readonly target: ServeProcess;
  /** `host:port` of each. */
  readonly sourceHost: string;
  readonly targetHost: string;
  /** Docker's config.json granting the target: what the runners' Secret holds. */
  readonly dockerConfig: string;
  stop(): Promise<void>;
}

/**
 * Starts both registries as processes (as users run them), seeds the source, and returns the
 * docker config that logs in to the target. The pull limit holds two copies of the project (36
 * pulls each: the shards' run and one machine's) and the reserve, not three: a runner that pulled
 * more than it needs draws a 429. (Pausing at the reserve is test/cli/sharded-sync.test.ts's part:
 * a pause re-probes after 60 s.)
 */
export async function startShardRegistries(dir: string): Promise<ShardRegistries> {
  await mkdir(dir, { recursive: true });
  const users = path.join(dir, "users.txt");
  await writeFile(users, "shards:s3cret\n");
  const source = await startServeProcess([
    "--storage",
    path.join(dir, "source"),
    "--addr",
    "127.0.0.1:0",
    "--pull-limit",
    "90/1h",
  ]);
  const target = await startServeProcess([
    "--storage",
    path.join(dir, "target"),
    "--addr",
    "127.0.0.1:0",
    "--auth",
    users,
    "--quiet",
  ]);
  for (const [repo, tags] of Object.entries(shardProject))
    for (const tag of tags) {
      const image = createSyntheticImage({ seed: `runners/${repo}/${tag}`, layerSizes: [4096] });
      await seedImage(source.url, `org/${repo}`, image, tag);
    }
  const targetHost = new URL(target.url).host;
  const dockerConfig = JSON.stringify({
    auths: { [targetHost]: { auth: Buffer.from("shards:s3cret").toString("base64") } },
  });
  return {
    source,
    target,
    sourceHost: new URL(source.url).host,
    targetHost,
    dockerConfig,
    async stop() {
      for (const registry of [source, target])
        if (registry.running()) {
          registry.kill("SIGTERM");
          await registry.exit;
        }
    },
  };
}

/** The tags of the project, as `repo:tag`, sorted. */
export const shardProjectTags = Object.entries(shardProject)
  .flatMap(([repo, tags]) => tags.map((t) => `${repo}:${t}`))
  .sort();

/**
 * The lock one machine writes running the whole project from `registries.source` (into a registry
 * of its own, whose host is then written as the target's): what merging any runner's shards must give.
 */
export async function singleMachineLock(registries: ShardRegistries, dir: string): Promise<string> {
  const other = await startServeRegistry();
  try {
    const plan = path.join(dir, "single-plan.json");
    const result = path.join(dir, "single-result.json");
    const from = `${registries.sourceHost}/org`;
    for (const args of [
      ["sync", "--from", from, "--to", `${other.host}/org`, "--repos", "a,b,c,d", "--plan-out", plan],
      ["sync", "--plan", plan, "--result-out", result, "--quiet"],
    ]) {
      const run = await spawnCli(args);
      if (run.code !== 0) throw new Error(`crossdock ${args.join(" ")}: ${run.stderr}${run.stdout}`);
    }
    const lock = await spawnCli(["lock", "merge", result, "--lock", "-"]);
    if (lock.code !== 0) throw new Error(`lock merge: ${lock.stderr}`);
    return lock.stdout.replaceAll(other.host, registries.targetHost);
  } finally {
    await other.stop();
  }
}

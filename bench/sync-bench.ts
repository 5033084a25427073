/**
 * Sync benchmark: crossdock against `skopeo sync --all --preserve-digests` on the same synthetic,
 * project-shaped corpus, in the same run, between local docker-registry processes.
 *
 *   npm run bench   (or: node dist/bench/sync-bench.js [--repos 12] [--tags 4] [--big-layer-mb 1024]
 *                    [--rounds 3] [--jobs N])
 *
 * It prints, for a full sync (into fresh targets) and for a no-op re-sync: wall and CPU time of
 * each tool (medians over the rounds; the tools take turns going first), the wall-time ratio (of
 * the medians, and the median of each round's ratio),
 * manifest GETs and all requests against the source (from the registry's access log), blob bytes
 * read from the source (both from the costliest round), and peak RSS (the largest); then time and peak RSS of copying one big layer. Not a
 * test: numbers go to bench/RESULTS.md by hand.
 */
import { execFile } from "node:child_process";
import { createCipheriv, createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createLayer, createSyntheticImage } from "../src/oci/synthetic.js";
import {
  type AccessEntry,
  type DistributionRegistry,
  startDistribution,
} from "../test/helpers/distribution.js";
import { cliPath } from "../test/helpers/paths.js";
import { seedImage } from "../test/helpers/seed.js";
import { type Measured, measure } from "./measure-process.js";
import { skopeoSyncArgs } from "./skopeo-sync.js";

const { values } = parseArgs({
  options: {
    repos: { type: "string", default: "12" },
    tags: { type: "string", default: "4" },
    "base-mb": { type: "string", default: "8" },
    "repo-mb": { type: "string", default: "2" },
    "big-layer-mb": { type: "string", default: "1024" },
    jobs: { type: "string" },
    "blob-jobs": { type: "string" },
    rounds: { type: "string", default: "3" },
  },
});
const repoCount = Number(values.repos);
const tagCount = Number(values.tags);
const rounds = Math.max(1, Number(values.rounds));
const MB = 1_000_000;

function sha256Hex(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

/** What one tool's run cost the source registry, from its access log. */
interface SourceCost {
  readonly requests: number;
  readonly manifestGets: number;
  readonly blobBytes: number;
  readonly blobGets: number;
  /** Requests by method and endpoint (`HEAD manifests`), for the breakdown on stderr. */
  readonly byKind: Readonly<Record<string, number>>;
}

function sourceCost(log: readonly AccessEntry[]): SourceCost {
  const manifestGets = log.filter((e) => e.method === "GET" && e.path.includes("/manifests/")).length;
  const blobs = log.filter((e) => e.method === "GET" && e.path.includes("/blobs/sha256:"));
  const byKind: Record<string, number> = {};
  for (const e of log) {
    const endpoint =
      /\/(manifests|blobs\/uploads|blobs|tags|referrers|_catalog)\b/.exec(e.path)?.[1] ?? e.path;
    const key = `${e.method} ${endpoint} ${e.status}`;
    byKind[key] = (byKind[key] ?? 0) + 1;
  }
  return {
    requests: log.length,
    manifestGets,
    blobGets: blobs.length,
    blobBytes: blobs.reduce((sum, e) => sum + e.bytes, 0),
    byKind,
  };
}

async function seedCorpus(source: DistributionRegistry): Promise<{ uniqueBytes: number; repos: string[] }> {
  const baseMb = Number(values["base-mb"]);
  const repoMb = Number(values["repo-mb"]);
  const base = createLayer("bench/base", baseMb * MB);
  const unique = new Map<string, number>();
  const repos: string[] = [];
  for (let r = 0; r < repoCount; r++) {
    const repo = `component-${String(r).padStart(2, "0")}`;
    repos.push(repo);
    const repoLayer = createLayer(`bench/${repo}`, repoMb * MB);
    for (let t = 0; t < tagCount; t++) {
      const image = createSyntheticImage({
        seed: `bench/${repo}/v${t}`,
        sharedLayers: [base, repoLayer],
        layerSizes: [100_000],
      });
      await seedImage(source.url, `project/${repo}`, image, `v0.${t}.0`);
      for (const blob of image.blobs) unique.set(blob.digest, blob.size);
    }
  }
  return { uniqueBytes: [...unique.values()].reduce((a, b) => a + b, 0), repos };
}

async function skopeoSync(
  source: DistributionRegistry,
  target: DistributionRegistry,
  repos: string[],
  dir: string,
): Promise<Measured> {
  const names = repos.map((repo) => `project/${repo}`);
  return await measure("skopeo", await skopeoSyncArgs(source.host, names, `${target.host}/skopeo`, dir));
}

async function crossdockSync(
  source: DistributionRegistry,
  target: DistributionRegistry,
  repos: string[],
): Promise<Measured> {
  return await measure(process.execPath, [
    cliPath,
    "sync",
    "--quiet",
    "--from",
    `${source.host}/project`,
    "--to",
    `${target.host}/crossdock`,
    "--repos",
    repos.join(","),
    ...(values.jobs ? ["--jobs", values.jobs] : []),
    ...(values["blob-jobs"] ? ["--blob-jobs", values["blob-jobs"]] : []),
  ]);
}

function median(numbers: readonly number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One table row: medians of wall and CPU time over the rounds, the largest peak RSS. */
function row(
  label: string,
  crossdock: Measured[],
  skopeo: Measured[],
  cd: SourceCost,
  sk: SourceCost,
): string {
  const wall = (runs: Measured[]) => median(runs.map((r) => r.seconds));
  const cpu = (runs: Measured[]) => median(runs.map((r) => r.cpuSeconds));
  const rss = (runs: Measured[]) => Math.max(...runs.map((r) => r.peakRssMb));
  return [
    `| ${label}`,
    `${wall(crossdock).toFixed(2)} s`,
    `${wall(skopeo).toFixed(2)} s`,
    `${(wall(crossdock) / wall(skopeo)).toFixed(2)}`,
    // Each round runs both tools back to back under the same load: the median of those paired
    // ratios is steadier than the ratio of medians when other work comes and goes.
    `${median(crossdock.map((run, i) => run.seconds / skopeo[i]!.seconds)).toFixed(2)}`,
    `${cpu(crossdock).toFixed(2)} / ${cpu(skopeo).toFixed(2)} s`,
    `${cd.manifestGets} / ${sk.manifestGets}`,
    `${cd.requests} / ${sk.requests}`,
    `${(cd.blobBytes / MB).toFixed(1)} / ${(sk.blobBytes / MB).toFixed(1)} MB`,
    `${rss(crossdock).toFixed(0)} / ${rss(skopeo).toFixed(0)} MB |`,
  ].join(" | ");
}

/**
 * `size` pseudo-random bytes in chunks of at most `chunk`, from AES-256-CTR over zeros (fast enough
 * for a gigabyte; pseudoRandomBytes' sha256 per 32 bytes would take minutes). The same every call.
 */
function* bigLayerChunks(size: number, chunk: number): Generator<Uint8Array> {
  const cipher = createCipheriv(
    "aes-256-ctr",
    createHash("sha256").update("bench/big").digest(),
    Buffer.alloc(16),
  );
  const zeros = Buffer.alloc(chunk);
  for (let off = 0; off < size; off += chunk)
    yield cipher.update(zeros.subarray(0, Math.min(chunk, size - off)));
}

/** Pushes one big uncompressed layer (streamed, never whole in memory) and copies it with each tool. */
async function bigLayer(
  source: DistributionRegistry,
  target: DistributionRegistry,
  skopeoTarget: DistributionRegistry,
): Promise<string> {
  const size = Number(values["big-layer-mb"]) * MB;
  const chunk = 4 * MB;
  const hash = createHash("sha256");
  for (const bytes of bigLayerChunks(size, chunk)) hash.update(bytes);
  const digest = `sha256:${hash.digest("hex")}`;
  const start = await fetch(`${source.url}/v2/big/layer/blobs/uploads/`, { method: "POST" });
  await start.arrayBuffer();
  const location = new URL(start.headers.get("location")!, source.url);
  location.searchParams.set("digest", digest);
  async function* body(): AsyncGenerator<Uint8Array> {
    yield* bigLayerChunks(size, chunk);
  }
  const put = await fetch(location, {
    method: "PUT",
    body: body() as never,
    headers: { "content-length": String(size), "content-type": "application/octet-stream" },
    duplex: "half",
  } as RequestInit);
  await put.arrayBuffer();
  if (put.status !== 201) throw new Error(`big layer upload: ${put.status}`);
  const config = Buffer.from(
    JSON.stringify({ architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: [digest] } }),
  );
  const manifestBytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: {
        mediaType: "application/vnd.oci.image.config.v1+json",
        digest: sha256Hex(config),
        size: config.length,
      },
      layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar", digest, size }],
    }),
  );
  const manifest = {
    digest: sha256Hex(manifestBytes),
    size: manifestBytes.length,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    bytes: manifestBytes,
  };
  const configBlob = {
    digest: sha256Hex(config),
    size: config.length,
    mediaType: "application/vnd.oci.image.config.v1+json",
    bytes: config,
  };
  // The root is the manifest itself, so seedImage pushes it under the tag.
  await seedImage(
    source.url,
    "big/layer",
    { blobs: [configBlob], manifests: [manifest], root: manifest },
    "v1",
  );
  const cd = await measure(process.execPath, [
    cliPath,
    "copy",
    "--quiet",
    `${source.host}/big/layer:v1`,
    `${target.host}/cd/big:v1`,
  ]);
  const sk = await measure("skopeo", [
    "copy",
    "--preserve-digests",
    "--src-tls-verify=false",
    "--dest-tls-verify=false",
    `docker://${source.host}/big/layer:v1`,
    `docker://${skopeoTarget.host}/sk/big:v1`,
  ]);
  return `| copy one ${(size / MB).toFixed(0)} MB layer | ${cd.seconds.toFixed(2)} s | ${sk.seconds.toFixed(2)} s | ${(cd.seconds / sk.seconds).toFixed(2)} | ${(cd.seconds / sk.seconds).toFixed(2)} | ${cd.cpuSeconds.toFixed(2)} / ${sk.cpuSeconds.toFixed(2)} s | | | | ${cd.peakRssMb.toFixed(0)} / ${sk.peakRssMb.toFixed(0)} MB |`;
}

/** The costlier of two rounds' source costs (more blob bytes, then more requests): a double read is never hidden. */
function worse(a: SourceCost | undefined, b: SourceCost): SourceCost {
  if (a === undefined) return b;
  if (a.blobBytes !== b.blobBytes) return a.blobBytes > b.blobBytes ? a : b;
  return a.requests + a.manifestGets >= b.requests + b.manifestGets ? a : b;
}

/** Runs one tool's sync and reads what it cost the source (and, on stderr, the target). */
async function timed(
  source: DistributionRegistry,
  target: DistributionRegistry,
  run: () => Promise<Measured>,
): Promise<[Measured, SourceCost]> {
  source.clearAccessLog();
  target.clearAccessLog();
  const measured = await run();
  await new Promise((r) => setTimeout(r, 300));
  console.error(`  target requests: ${JSON.stringify(sourceCost(target.accessLog()).byKind)}`);
  return [measured, sourceCost(source.accessLog())];
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "crossdock-bench-"));
  const source = await startDistribution();
  try {
    const skopeoVersion = await new Promise<string>((resolve) =>
      execFile("skopeo", ["--version"], (_e, out) => resolve(String(out).trim())),
    );
    console.error(`seeding ${repoCount} repositories x ${tagCount} tags (2-platform indexes)...`);
    const { uniqueBytes, repos } = await seedCorpus(source);
    const steps = ["full sync", "no-op re-sync"] as const;
    const results = new Map(steps.map((step) => [step, { cd: [] as Measured[], sk: [] as Measured[] }]));
    const costs = new Map<string, { cd: SourceCost; sk: SourceCost }>();
    for (let round = 0; round < rounds; round++) {
      // Fresh targets each round, one per tool, so neither finds the other's blobs.
      const [target, skopeoTarget] = await Promise.all([startDistribution(), startDistribution()]);
      try {
        for (const step of steps) {
          const runCd = () => timed(source, target, () => crossdockSync(source, target, repos));
          const runSk = () => timed(source, skopeoTarget, () => skopeoSync(source, skopeoTarget, repos, dir));
          // Alternate which tool goes first, so neither always gets the warmer machine.
          let cd: [Measured, SourceCost];
          let sk: [Measured, SourceCost];
          if (round % 2 === 0) {
            cd = await runCd();
            sk = await runSk();
          } else {
            sk = await runSk();
            cd = await runCd();
          }
          results.get(step)!.cd.push(cd[0]);
          results.get(step)!.sk.push(sk[0]);
          const seen = costs.get(step);
          costs.set(step, { cd: worse(seen?.cd, cd[1]), sk: worse(seen?.sk, sk[1]) });
          console.error(
            `round ${round + 1} ${step}: crossdock ${cd[0].seconds.toFixed(2)} s (cpu ${cd[0].cpuSeconds.toFixed(2)} s, ${cd[0].peakRssMb.toFixed(0)} MB), skopeo ${sk[0].seconds.toFixed(2)} s (cpu ${sk[0].cpuSeconds.toFixed(2)} s, ${sk[0].peakRssMb.toFixed(0)} MB), ratio ${(cd[0].seconds / sk[0].seconds).toFixed(2)}`,
          );
          console.error(`  source requests, crossdock: ${JSON.stringify(cd[1].byKind)}`);
          console.error(`  source requests, skopeo:    ${JSON.stringify(sk[1].byKind)}`);
        }
      } finally {
        await Promise.all([target.stop(), skopeoTarget.stop()]);
      }
    }
    const lines = [
      `corpus: ${repoCount} repos x ${tagCount} tags, each a 2-platform index; unique blob bytes ${(uniqueBytes / MB).toFixed(1)} MB`,
      `tools: crossdock (node ${process.version}${values.jobs ? `, --jobs ${values.jobs}` : ""}), ${skopeoVersion}; ${os.cpus().length} cores; median of ${rounds} rounds`,
      "",
      "| run | crossdock | skopeo | ratio | ratio per round (median) | CPU time (cd / skopeo) | manifest GETs on source (cd / skopeo) | all requests to source (cd / skopeo) | blob bytes read (cd / skopeo) | peak RSS (cd / skopeo) |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ];
    for (const step of steps) {
      const { cd, sk } = results.get(step)!;
      lines.push(row(step, cd, sk, costs.get(step)!.cd, costs.get(step)!.sk));
    }
    if (Number(values["big-layer-mb"]) > 0) {
      console.error("copying one big layer...");
      const [target, skopeoTarget] = await Promise.all([startDistribution(), startDistribution()]);
      try {
        lines.push(await bigLayer(source, target, skopeoTarget));
      } finally {
        await Promise.all([target.stop(), skopeoTarget.stop()]);
      }
    }
    console.log(lines.join("\n"));
  } finally {
    await source.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();

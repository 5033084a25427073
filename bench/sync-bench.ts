/**
 * Sync benchmark: crossdock against `skopeo sync --all --preserve-digests` on the same synthetic,
 * project-shaped corpus, in the same run, between local docker-registry processes.
 *
 *   npm run bench            (or: node dist/bench/sync-bench.js [--repos 12] [--tags 4] [--big-layer-mb 1024])
 *
 * It prints, for a full sync and for a no-op re-sync: wall time of each tool and the ratio,
 * manifest GETs against the source (from the registry's access log), blob bytes read from the
 * source, and peak RSS; then the peak RSS of copying one big layer. Not a test: numbers go to
 * bench/RESULTS.md by hand.
 */
import { execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createLayer, createSyntheticImage, pseudoRandomBytes } from "../src/oci/synthetic.js";
import {
  type AccessEntry,
  type DistributionRegistry,
  startDistribution,
} from "../test/helpers/distribution.js";
import { cliPath } from "../test/helpers/paths.js";
import { seedImage } from "../test/helpers/seed.js";

const { values } = parseArgs({
  options: {
    repos: { type: "string", default: "12" },
    tags: { type: "string", default: "4" },
    "base-mb": { type: "string", default: "8" },
    "repo-mb": { type: "string", default: "2" },
    "big-layer-mb": { type: "string", default: "1024" },
    jobs: { type: "string" },
  },
});
const repoCount = Number(values.repos);
const tagCount = Number(values.tags);
const MB = 1_000_000;

interface Measured {
  readonly seconds: number;
  readonly peakRssMb: number;
}

/** Runs a command under /usr/bin/time to get wall time and peak RSS (the same for both tools). */
async function measure(command: string, args: string[]): Promise<Measured> {
  const started = process.hrtime.bigint();
  const child = spawn("/usr/bin/time", ["-f", "%M", command, ...args], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} exited ${code}:\n${stderr}`);
  const kb = Number(stderr.trim().split("\n").pop());
  return { seconds, peakRssMb: kb / 1024 };
}

function sourceCost(log: readonly AccessEntry[]): {
  manifestGets: number;
  blobBytes: number;
  blobGets: number;
} {
  const manifestGets = log.filter((e) => e.method === "GET" && e.path.includes("/manifests/")).length;
  const blobs = log.filter((e) => e.method === "GET" && e.path.includes("/blobs/sha256:"));
  return { manifestGets, blobGets: blobs.length, blobBytes: blobs.reduce((sum, e) => sum + e.bytes, 0) };
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
  const yaml = [
    `${source.host}:`,
    "  tls-verify: false",
    "  images-by-tag-regex:",
    ...repos.map((repo) => `    project/${repo}: ".*"`),
  ].join("\n");
  const file = path.join(dir, "skopeo-sync.yaml");
  await writeFile(file, `${yaml}\n`);
  return await measure("skopeo", [
    "sync",
    "--all",
    "--preserve-digests",
    "--src",
    "yaml",
    "--dest",
    "docker",
    "--dest-tls-verify=false",
    file,
    `${target.host}/skopeo`,
  ]);
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
  ]);
}

function row(
  label: string,
  crossdock: Measured,
  skopeo: Measured,
  cd: ReturnType<typeof sourceCost>,
  sk: ReturnType<typeof sourceCost>,
): string {
  return [
    `| ${label}`,
    `${crossdock.seconds.toFixed(2)} s`,
    `${skopeo.seconds.toFixed(2)} s`,
    `${(crossdock.seconds / skopeo.seconds).toFixed(2)}`,
    `${cd.manifestGets} / ${sk.manifestGets}`,
    `${(cd.blobBytes / MB).toFixed(1)} / ${(sk.blobBytes / MB).toFixed(1)} MB`,
    `${crossdock.peakRssMb.toFixed(0)} / ${skopeo.peakRssMb.toFixed(0)} MB |`,
  ].join(" | ");
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
  const makeChunk = (i: number, n: number): Uint8Array => pseudoRandomBytes(`big/${i}`, n);
  for (let off = 0, i = 0; off < size; off += chunk, i++)
    hash.update(makeChunk(i, Math.min(chunk, size - off)));
  const digest = `sha256:${hash.digest("hex")}`;
  const start = await fetch(`${source.url}/v2/big/layer/blobs/uploads/`, { method: "POST" });
  const location = new URL(start.headers.get("location")!, source.url);
  location.searchParams.set("digest", digest);
  async function* body(): AsyncGenerator<Uint8Array> {
    for (let off = 0, i = 0; off < size; off += chunk, i++) yield makeChunk(i, Math.min(chunk, size - off));
  }
  const put = await fetch(location, {
    method: "PUT",
    body: body() as never,
    headers: { "content-length": String(size), "content-type": "application/octet-stream" },
    duplex: "half",
  } as RequestInit);
  if (put.status !== 201) throw new Error(`big layer upload: ${put.status}`);
  const config = Buffer.from(
    JSON.stringify({ architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: [digest] } }),
  );
  const configDigest = `sha256:${createHash("sha256").update(config).digest("hex")}`;
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: {
        mediaType: "application/vnd.oci.image.config.v1+json",
        digest: configDigest,
        size: config.length,
      },
      layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar", digest, size }],
    }),
  );
  await seedImage(
    source.url,
    "big/layer",
    {
      blobs: [
        {
          digest: configDigest,
          size: config.length,
          mediaType: "application/vnd.oci.image.config.v1+json",
          bytes: config,
        },
      ],
      manifests: [
        {
          digest: "",
          size: manifest.length,
          mediaType: "application/vnd.oci.image.manifest.v1+json",
          bytes: manifest,
        },
      ],
      root: {
        digest: "",
        size: manifest.length,
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        bytes: manifest,
      },
    } as never,
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
  return `| copy one ${(size / MB).toFixed(0)} MB layer | ${cd.seconds.toFixed(2)} s | ${sk.seconds.toFixed(2)} s | ${(cd.seconds / sk.seconds).toFixed(2)} | | | ${cd.peakRssMb.toFixed(0)} / ${sk.peakRssMb.toFixed(0)} MB |`;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "crossdock-bench-"));
  // One target per tool, so neither finds the other's blobs.
  const [source, target, skopeoTarget] = await Promise.all([
    startDistribution(),
    startDistribution(),
    startDistribution(),
  ]);
  try {
    const skopeoVersion = await new Promise<string>((resolve) =>
      execFile("skopeo", ["--version"], (_e, out) => resolve(String(out).trim())),
    );
    console.error(`seeding ${repoCount} repositories x ${tagCount} tags (2-platform indexes)...`);
    const { uniqueBytes, repos } = await seedCorpus(source);
    const lines = [
      `corpus: ${repoCount} repos x ${tagCount} tags, each a 2-platform index; unique blob bytes ${(uniqueBytes / MB).toFixed(1)} MB`,
      `tools: crossdock (node ${process.version}), ${skopeoVersion}; ${os.cpus().length} cores`,
      "",
      "| run | crossdock | skopeo | ratio | manifest GETs on source (cd / skopeo) | blob bytes read (cd / skopeo) | peak RSS (cd / skopeo) |",
      "| --- | --- | --- | --- | --- | --- | --- |",
    ];
    const runs: Array<{ label: string }> = [{ label: "full sync" }, { label: "no-op re-sync" }];
    for (const { label } of runs) {
      source.clearAccessLog();
      const cd = await crossdockSync(source, target, repos);
      await new Promise((r) => setTimeout(r, 300));
      const cdCost = sourceCost(source.accessLog());
      source.clearAccessLog();
      const sk = await skopeoSync(source, skopeoTarget, repos, dir);
      await new Promise((r) => setTimeout(r, 300));
      const skCost = sourceCost(source.accessLog());
      lines.push(row(label, cd, sk, cdCost, skCost));
      console.error(lines.at(-1));
    }
    if (Number(values["big-layer-mb"]) > 0) {
      console.error("copying one big layer...");
      lines.push(await bigLayer(source, target, skopeoTarget));
    }
    console.log(lines.join("\n"));
  } finally {
    await Promise.all([source.stop(), target.stop(), skopeoTarget.stop()]);
    await rm(dir, { recursive: true, force: true });
  }
}

await main();

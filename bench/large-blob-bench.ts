/**
 * One large single-layer image (ML example images carry layers of several GB), copied three ways
 * between the same two loopback registries, in turn: `crossdock copy`, `skopeo copy`, and the
 * plain pipe (curl GET of each blob from the source piped into a curl monolithic upload, POST then
 * PUT `?digest=`, then the manifest). Every run copies into a fresh, empty target registry (started
 * for it, its storage removed after), so nothing is skipped as already there.
 *
 *   npx tsc -p tsconfig.json && node scripts/bundle-cli.mjs
 *   node dist/bench/large-blob-bench.js [--size-mb 5120] [--rounds 3]
 *        [--targets docker-registry,crossdock-serve] [--tools crossdock,skopeo,pipe]
 *
 * The layer is pseudo-random bytes (AES-256-CTR over zeros) generated twice on the fly, once to
 * hash and once to push: never on disk outside the source registry, never whole in memory. Wall
 * time, CPU time (user + system, the command and its children) and peak RSS come from
 * `/usr/bin/time`. Not a test: numbers go to bench/RESULTS.md by hand.
 */
import { execFile, spawn } from "node:child_process";
import { createCipheriv, createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { type DistributionRegistry, startDistribution } from "../test/helpers/distribution.js";
import { cliPath } from "../test/helpers/paths.js";
import { startServeProcess } from "../test/helpers/serve-process.js";

const { values } = parseArgs({
  options: {
    "size-mb": { type: "string", default: "5120" },
    rounds: { type: "string", default: "3" },
    targets: { type: "string", default: "docker-registry,crossdock-serve" },
    tools: { type: "string", default: "crossdock,skopeo,pipe" },
  },
});
const MiB = 1024 * 1024;
const size = Number(values["size-mb"]) * MiB;
const rounds = Math.max(1, Number(values.rounds));
const tools = values.tools.split(",") as Tool[];
const targetKinds = values.targets.split(",") as TargetKind[];
const manifestType = "application/vnd.oci.image.manifest.v1+json";

type Tool = "crossdock" | "skopeo" | "pipe";
type TargetKind = "docker-registry" | "crossdock-serve";

/** A registry to copy into, started empty for one run. */
interface Target {
  readonly host: string;
  stop(): Promise<void>;
}

/** What /usr/bin/time saw of one run. */
interface Measured {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
}

/** The layer's bytes in 1 MiB chunks: AES-256-CTR over zeros, the same on every call. */
async function* layerChunks(): AsyncGenerator<Buffer> {
  const cipher = createCipheriv(
    "aes-256-ctr",
    createHash("sha256").update("bench/large").digest(),
    Buffer.alloc(16),
  );
  const zeros = Buffer.alloc(MiB);
  for (let offset = 0; offset < size; offset += MiB)
    yield cipher.update(zeros.subarray(0, Math.min(MiB, size - offset)));
}

function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

/** One HTTP request with node:http; resolves with the status, the Location header and the body. */
async function request(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body?: Readable | Buffer,
): Promise<{ status: number; location: string | undefined }> {
  return await new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }));
    });
    req.on("error", reject);
    if (body instanceof Readable) pipeline(body, req).catch(reject);
    else req.end(body);
  });
}

/** Pushes a blob with a monolithic upload (POST, then PUT `?digest=` with the body). */
async function pushBlob(
  registry: string,
  repo: string,
  digest: string,
  length: number,
  body: Readable | Buffer,
) {
  const start = await request(new URL(`/v2/${repo}/blobs/uploads/`, registry), "POST", {
    "content-length": "0",
  });
  if (start.status !== 202 || start.location === undefined) throw new Error(`POST upload: ${start.status}`);
  const url = new URL(start.location, registry);
  url.searchParams.set("digest", digest);
  const headers = { "content-length": String(length), "content-type": "application/octet-stream" };
  const put = await request(url, "PUT", headers, body);
  if (put.status !== 201) throw new Error(`PUT blob ${digest}: ${put.status}`);
}

/** Seeds `big/layer:v1` (config, the large layer, an OCI manifest) into the source; returns the layer digest. */
async function seedSource(registry: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of layerChunks()) hash.update(chunk);
  const digest = `sha256:${hash.digest("hex")}`;
  await pushBlob(registry, "big/layer", digest, size, Readable.from(layerChunks()));
  const config = Buffer.from(
    JSON.stringify({ architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: [digest] } }),
  );
  await pushBlob(registry, "big/layer", sha256(config), config.length, config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: manifestType,
      config: {
        mediaType: "application/vnd.oci.image.config.v1+json",
        digest: sha256(config),
        size: config.length,
      },
      layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar", digest, size }],
    }),
  );
  const put = await request(
    new URL("/v2/big/layer/manifests/v1", registry),
    "PUT",
    { "content-type": manifestType, "content-length": String(manifest.length) },
    manifest,
  );
  if (put.status !== 201) throw new Error(`PUT manifest: ${put.status}`);
  return digest;
}

/** Starts an empty target registry of the given kind. */
async function startTarget(kind: TargetKind): Promise<Target> {
  if (kind === "docker-registry") return await startDistribution();
  const dir = await mkdtemp(path.join(os.tmpdir(), "crossdock-bench-serve-"));
  const serve = await startServeProcess(["--storage", dir, "--addr", "127.0.0.1:0", "--quiet"]);
  return {
    host: new URL(serve.url).host,
    stop: async () => {
      serve.kill("SIGTERM");
      await serve.exit;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The plain pipe as a bash script: each blob a curl GET piped into a curl PUT (Content-Length
 * given, no chunked encoding, no `Expect: 100-continue`), then the manifest. Arguments: SRC DST
 * DIGEST:SIZE... (the config and the layer).
 */
const pipeScript = `set -euo pipefail
src=$1 dst=$2; shift 2
for blob in "$@"; do
  digest=\${blob%:*} size=\${blob##*:}
  loc=$(curl -sSf -X POST -D - -o /dev/null "http://$dst/v2/big/copy/blobs/uploads/" | tr -d '\\r' | sed -n 's/^[Ll]ocation: //p')
  case "$loc" in http*) ;; *) loc="http://$dst$loc" ;; esac
  case "$loc" in *\\?*) loc="$loc&digest=$digest" ;; *) loc="$loc?digest=$digest" ;; esac
  curl -sSf "http://$src/v2/big/layer/blobs/$digest" |
    curl -sSf -o /dev/null -T - -H 'Transfer-Encoding:' -H 'Expect:' -H "Content-Length: $size" -H 'Content-Type: application/octet-stream' "$loc"
done
curl -sSf -H 'Accept: ${manifestType}' "http://$src/v2/big/layer/manifests/v1" |
  curl -sSf -o /dev/null -T - -H 'Content-Type: ${manifestType}' "http://$dst/v2/big/copy/manifests/v1"
`;

/** The command line of one tool's copy from `source` into `target` (repository big/copy:v1). */
function commandOf(tool: Tool, source: string, target: string, blobs: readonly string[]): string[] {
  if (tool === "crossdock")
    return [process.execPath, cliPath, "copy", "--quiet", `${source}/big/layer:v1`, `${target}/big/copy:v1`];
  if (tool === "skopeo")
    return [
      "skopeo",
      "copy",
      "--quiet",
      "--preserve-digests",
      "--src-tls-verify=false",
      "--dest-tls-verify=false",
      `docker://${source}/big/layer:v1`,
      `docker://${target}/big/copy:v1`,
    ];
  return ["bash", "-c", pipeScript, "pipe", source, target, ...blobs];
}

/** Runs a command under /usr/bin/time: wall time, CPU of it and its children, peak RSS of the largest. */
async function measure(argv: readonly string[]): Promise<Measured> {
  const started = process.hrtime.bigint();
  const child = spawn("/usr/bin/time", ["-f", "%U %S %M", ...argv], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0) throw new Error(`${argv.slice(0, 3).join(" ")} exited ${code}:\n${stderr}`);
  const [user, system, kb] = (stderr.trim().split("\n").pop() ?? "").split(" ").map(Number);
  return { seconds, cpuSeconds: (user ?? 0) + (system ?? 0), peakRssMb: (kb ?? 0) / 1024 };
}

/** The digest the target answers for big/copy:v1 (so a run that wrote nothing cannot pass). */
async function targetDigest(target: string): Promise<string | undefined> {
  const res = await fetch(`http://${target}/v2/big/copy/manifests/v1`, {
    method: "HEAD",
    headers: { accept: manifestType },
  });
  return res.headers.get("docker-content-digest") ?? undefined;
}

function median(numbers: readonly number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Table rows for one target: medians of wall and CPU, largest RSS, and paired per-round ratios. */
function rows(kind: TargetKind, runs: Map<Tool, Measured[]>): string[] {
  const ratio = (tool: Tool, other: Tool): string => {
    const mine = runs.get(tool);
    const theirs = runs.get(other);
    if (mine === undefined || theirs === undefined) return "";
    return `${median(mine.map((run, i) => run.seconds / theirs[i]!.seconds)).toFixed(2)}`;
  };
  return tools.map((tool) => {
    const measured = runs.get(tool) ?? [];
    return [
      `| ${kind} | ${tool}`,
      `${median(measured.map((r) => r.seconds)).toFixed(1)} s`,
      `${median(measured.map((r) => r.cpuSeconds)).toFixed(1)} s`,
      `${Math.max(...measured.map((r) => r.peakRssMb)).toFixed(0)} MB`,
      ratio(tool, "skopeo"),
      `${ratio(tool, "pipe")} |`,
    ].join(" | ");
  });
}

async function main(): Promise<void> {
  const skopeoVersion = await new Promise<string>((resolve) =>
    execFile("skopeo", ["--version"], (_error, out) => resolve(String(out).trim())),
  );
  const source: DistributionRegistry = await startDistribution();
  try {
    console.error(`seeding a ${size / MiB} MiB layer into ${source.host}...`);
    const layer = await seedSource(source.url);
    const config = await fetch(`${source.url}/v2/big/layer/manifests/v1`, {
      headers: { accept: manifestType },
    });
    const manifestDigest = config.headers.get("docker-content-digest") ?? "";
    const configDescriptor = (JSON.parse(await config.text()) as { config: { digest: string; size: number } })
      .config;
    const blobs = [`${configDescriptor.digest}:${configDescriptor.size}`, `${layer}:${size}`];
    const lines = [
      `${size / MiB} MiB single-layer image; ${skopeoVersion}; node ${process.version}; ${os.cpus().length} cores; ${rounds} rounds, tools in turn (rotated each round)`,
      "",
      "| target | tool | wall (median) | CPU (median) | peak RSS (max) | wall / skopeo (median of pairs) | wall / pipe (median of pairs) |",
      "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ];
    const results = new Map(targetKinds.map((kind) => [kind, new Map<Tool, Measured[]>()]));
    for (let round = 0; round < rounds; round++) {
      for (const kind of targetKinds) {
        const order = tools.map((_, i) => tools[(i + round) % tools.length]!);
        for (const tool of order) {
          const target = await startTarget(kind);
          try {
            const measured = await measure(commandOf(tool, source.host, target.host, blobs));
            const digest = await targetDigest(target.host);
            if (digest !== manifestDigest)
              throw new Error(`${tool} into ${kind}: target has ${digest}, not ${manifestDigest}`);
            const runs = results.get(kind)!;
            runs.set(tool, [...(runs.get(tool) ?? []), measured]);
            console.error(
              `round ${round + 1} ${kind} ${tool}: ${measured.seconds.toFixed(1)} s, cpu ${measured.cpuSeconds.toFixed(1)} s, ${measured.peakRssMb.toFixed(0)} MB, load ${os.loadavg()[0]!.toFixed(1)}`,
            );
          } finally {
            await target.stop();
          }
        }
      }
    }
    for (const kind of targetKinds) lines.push(...rows(kind, results.get(kind)!));
    console.log(lines.join("\n"));
  } finally {
    await source.stop();
  }
}

await main();

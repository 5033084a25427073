/**
 * Scan speed against grep, the tool people reach for to find image references: generates a
 * 10,000-file repository-shaped tree in a temp directory, warms the page cache and the JIT, then times `scanRepository` and
 * `grep -rE 'image:|FROM '` over it (median of 7 runs each). The target is at most twice grep's time.
 *
 *   npx tsc -p . && node dist/bench/scan-bench.js [files]
 *
 * Every sample is printed besides the medians.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import { scanRepository } from "../src/scan/scan-repository.js";

const run = promisify(execFile);

/** A deterministic pseudo-random generator, so every run builds the same tree. */
function makeRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const filler = (random: () => number, lines: number, prefix: string): string =>
  Array.from(
    { length: lines },
    (_, i) => `${prefix} line ${i} value ${Math.floor(random() * 1e6)} of the file body`,
  ).join("\n");

/** One file of each kind, with a few references and a realistic amount of other text. */
const kinds: ReadonlyArray<[weight: number, make: (i: number, random: () => number) => [string, string]]> = [
  [
    50,
    (i, r) => [
      `pkg/m${i % 97}/file${i}.go`,
      `package m\n\n${filler(r, 80, "// go")}\nvar img = "docker.io/kubeflowkatib/katib-controller:v${i}"\n`,
    ],
  ],
  [
    15,
    (i, r) => [
      `manifests/c${i % 53}/deploy${i}.yaml`,
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d${i}\nspec:\n  template:\n    spec:\n      containers:\n        - name: c\n          image: docker.io/kubeflowkatib/katib-ui:v${i}\n          args: ["--port", "8080"]\n${filler(r, 40, "#")}\n`,
    ],
  ],
  [
    12,
    (i, r) => [
      `docs/d${i % 31}/page${i}.md`,
      `# Page ${i}\n\n${filler(r, 60, "Prose")}\n\n\`\`\`bash\ndocker pull mysql:8.0\n\`\`\`\n`,
    ],
  ],
  [8, (i, r) => [`web/src/c${i % 41}/comp${i}.ts`, `export const x${i} = 1;\n${filler(r, 70, "// ts")}\n`]],
  [
    5,
    (i, r) => [
      `test/data/t${i % 17}/case${i}.json`,
      JSON.stringify({ name: `case${i}`, body: filler(r, 20, "json"), image: "postgres:16" }, null, 2),
    ],
  ],
  [
    4,
    (i, r) => [
      `scripts/s${i % 13}/run${i}.sh`,
      `#!/bin/sh\n${filler(r, 30, "# sh")}\ndocker build -t \${REGISTRY}/katib-db-manager:\${TAG} .\n`,
    ],
  ],
  [
    3,
    (i, r) => [
      `cmd/c${i}/Dockerfile`,
      `FROM golang:1.22 AS build\n${filler(r, 10, "# df")}\nFROM gcr.io/distroless/static:nonroot\n`,
    ],
  ],
  [3, (i, r) => [`assets/a${i % 11}/notes${i}.txt`, filler(r, 50, "text")]],
];

async function generate(root: string, count: number): Promise<void> {
  const random = makeRandom(4);
  const total = kinds.reduce((sum, [weight]) => sum + weight, 0);
  const files: Array<[string, string]> = [];
  for (let i = 0; i < count; i++) {
    let pick = random() * total;
    const kind =
      kinds.find(([weight]) => {
        pick -= weight;
        return pick < 0;
      }) ?? kinds[0]!;
    files.push(kind[1](i, random));
  }
  for (const dir of new Set(files.map(([file]) => path.dirname(file))))
    await mkdir(path.join(root, dir), { recursive: true });
  for (let i = 0; i < files.length; i += 64) {
    await Promise.all(files.slice(i, i + 64).map(([file, text]) => writeFile(path.join(root, file), text)));
  }
}

/** The median of `runs` timed calls, and every sample (sorted) for the record. */
async function time(fn: () => Promise<unknown>, runs: number): Promise<[median: number, samples: string]> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return [samples[Math.floor(samples.length / 2)]!, samples.map((ms) => ms.toFixed(0)).join(" ")];
}

async function grep(root: string): Promise<void> {
  try {
    await run("grep", ["-rE", "image:|FROM ", root], { maxBuffer: 1 << 30 });
  } catch (error) {
    if ((error as { code?: number }).code !== 1) throw error;
  }
}

const warmUps = 4;
const count = Number(process.argv.slice(2).find((arg) => !arg.startsWith("--")) ?? 10_000);
const root = await mkdtemp(path.join(tmpdir(), "crossdock-scan-bench-"));
try {
  await generate(root, count);
  // Warm the page cache, and the JIT: V8 reaches its optimizing tier for the scan's code only
  // after a few runs (the first takes about three times as long as the fourth).
  await grep(root);
  let warm = await scanRepository(root);
  for (let i = 1; i < warmUps; i++) warm = await scanRepository(root);
  const runs = 7;
  const [grepMs, grepSamples] = await time(() => grep(root), runs);
  const [scanMs, scanSamples] = await time(() => scanRepository(root), runs);
  const ratio = scanMs / grepMs;
  console.log(`files: ${count}, references found: ${warm.references.length}, images: ${warm.images.length}`);
  console.log(`grep -rE 'image:|FROM ': ${grepMs.toFixed(0)} ms (median of ${runs}: ${grepSamples})`);
  console.log(`scanRepository:          ${scanMs.toFixed(0)} ms (median of ${runs}: ${scanSamples})`);
  console.log(`ratio: ${ratio.toFixed(2)}x grep (target <= 2x) ${ratio <= 2 ? "OK" : "OVER TARGET"}`);
} finally {
  if (process.env["KEEP"]) console.log(root);
  else await rm(root, { recursive: true, force: true });
}

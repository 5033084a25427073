/**
 * Peak RSS of one shard of a sharded sync: what the generated Kubernetes Job requests per pod
 * (src/ci/kubernetes/sharded-job.ts). Two in-process `crossdock serve` registries on loopback, a
 * source of REPOS x TAGS small two-platform images, one plan, then each of SHARDS shards run in
 * turn under `/usr/bin/time -f %M` (the process's maximum resident set).
 *
 *   node dist/bench/shard-memory.js [--repos 20] [--tags 25] [--shards 2]
 *
 * Not a test: the numbers go beside the memory request by hand.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs, promisify } from "node:util";
import { createSyntheticImage } from "../src/oci/synthetic.js";
import { cliPath } from "../test/helpers/paths.js";
import { seedImage } from "../test/helpers/seed.js";
import { startServeRegistry } from "../test/helpers/serve.js";

const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    repos: { type: "string", default: "20" },
    tags: { type: "string", default: "25" },
    shards: { type: "string", default: "2" },
  },
});
const repos = Number(values.repos);
const tags = Number(values.tags);
const shards = Number(values.shards);

const dir = await mkdtemp(path.join(os.tmpdir(), "crossdock-shard-memory-"));
const [source, target] = await Promise.all([startServeRegistry(), startServeRegistry()]);
try {
  for (let r = 0; r < repos; r++)
    for (let t = 0; t < tags; t++)
      await seedImage(
        source.url,
        `org/r${r}`,
        createSyntheticImage({ seed: `r${r}t${t}`, layerSizes: [8192] }),
        `v${t}`,
      );
  const plan = path.join(dir, "plan.json");
  const names = Array.from({ length: repos }, (_, r) => `r${r}`).join(",");
  await run(process.execPath, [
    cliPath,
    ...["sync", "--from", `${source.host}/org`, "--to", `${target.host}/org`, "--repos", names],
    ...["--plan-out", plan],
  ]);
  for (let i = 0; i < shards; i++) {
    const shard = `${i}/${shards}`;
    const { stdout, stderr } = await run(
      "/usr/bin/time",
      ["-f", "%M KB %e s", process.execPath, cliPath, "sync", "--plan", plan, "--shard", shard, "--json"],
      { maxBuffer: 1 << 26 },
    );
    const counts = (JSON.parse(stdout) as { summary: { counts: unknown } }).summary.counts;
    console.log(`shard ${shard}: ${stderr.trim().split("\n").at(-1)} ${JSON.stringify(counts)}`);
  }
} finally {
  await Promise.all([source.stop(), target.stop()]);
  await rm(dir, { recursive: true, force: true });
}

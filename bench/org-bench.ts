/**
 * Organisation-scale sync benchmark: crossdock (one process, and N shards run at once) and
 * `skopeo sync` on a synthetic organisation written by org-seed.ts, on docker-registry or on
 * `crossdock serve`. Not a test: numbers go to bench/RESULTS.md by hand.
 *
 *   node dist/bench/org-seed.js --out /tmp/org                        (once: 2,000 x 25 tags)
 *   node dist/bench/org-bench.js --org /tmp/org --kind serve --repos 800 \
 *     [--shards 4] [--steps noop,noop-shards,full,full-shards,skopeo-full,skopeo-noop]
 *
 * `--repos N` takes the organisation's first N repositories (25 tags each), named with --repos,
 * the same for both tools. A no-op runs against a second registry process over the seeded
 * storage (it holds every tag, so nothing is to copy); a full sync into a fresh, empty registry.
 * Each row: wall and CPU seconds, peak RSS (the largest process; /usr/bin/time), requests per tag
 * on each side (counted from the registries' access logs), 429 answers, tags written twice. One
 * JSON line per row goes to stdout, the table to stderr.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { cliPath } from "../test/helpers/paths.js";
import { type Measured, measure } from "./measure-process.js";
import { orgRepository } from "./org-names.js";
import {
  type CountingRegistry,
  type RegistryKind,
  type RequestTally,
  startCountingRegistry,
} from "./org-registries.js";
import { skopeoSyncArgs } from "./skopeo-sync.js";

const { values } = parseArgs({
  options: {
    org: { type: "string" },
    kind: { type: "string", default: "serve" },
    repos: { type: "string", default: "8" },
    "tags-per-repo": { type: "string", default: "25" },
    shards: { type: "string", default: "4" },
    steps: { type: "string", default: "noop,noop-shards" },
    /** `crossdock serve --pull-limit` of the source (N/WINDOW): the budget the shards share. */
    "pull-limit": { type: "string" },
    /** Shards' --max-wait: with a spent budget they stop and leave the rest pending. */
    "max-wait": { type: "string" },
    /** Another build of the CLI (bin/crossdock.js of a checkout) to measure instead of this one. */
    cli: { type: "string", default: cliPath },
  },
});

/** Several commands at once: wall time until the last ends, CPU summed, the largest peak RSS. */
async function measureTogether(
  commands: ReadonlyArray<readonly [string, readonly string[]]>,
): Promise<Measured> {
  const started = process.hrtime.bigint();
  // Exit 1 with --max-wait: the shared budget ran out and the rest is pending, as it should.
  const runs = await Promise.all(commands.map(([command, args]) => measure(command, args, [0, 1])));
  return {
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    cpuSeconds: runs.reduce((sum, r) => sum + r.cpuSeconds, 0),
    peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
  };
}

function crossdockSync(source: string, target: string, repos: readonly string[], extra: readonly string[]) {
  const from = ["--from", `${source}/org`, "--to", `${target}/org`, "--repos", repos.join(",")];
  return [process.execPath, [values.cli, "sync", "--quiet", ...from, ...extra]] as const;
}

/** One shard of a plan (the plan names the registries and repositories). */
function crossdockShard(plan: string, index: number, count: number) {
  const wait = values["max-wait"] ? ["--max-wait", values["max-wait"]] : [];
  return [
    process.execPath,
    [values.cli, "sync", "--quiet", "--plan", plan, "--shard", `${index}/${count}`, ...wait],
  ] as const;
}

async function skopeoSync(source: string, target: string, repos: readonly string[], dir: string) {
  const names = repos.map((repo) => `org/${repo}`);
  // skopeo puts org/app-0000 under the destination: the target's root keeps the names.
  return ["skopeo", await skopeoSyncArgs(source, names, target, dir)] as const;
}

/** One row of the table. */
interface Row {
  readonly kind: string;
  readonly tags: number;
  readonly step: string;
  readonly measured: Measured;
  readonly source: RequestTally;
  readonly target: RequestTally;
}

function formatRow(row: Row): string {
  const perTag = (t: RequestTally) => (t.total / row.tags).toFixed(2);
  return `| ${row.kind} | ${row.tags} | ${row.step} | ${row.measured.seconds.toFixed(1)} s | ${row.measured.cpuSeconds.toFixed(1)} s | ${row.measured.peakRssMb.toFixed(0)} MB | ${perTag(row.source)} / ${perTag(row.target)} | ${row.source.tooMany} | ${row.target.tagsWritten} | ${row.target.tagsWrittenTwice} |`;
}

async function main(): Promise<void> {
  if (values.org === undefined) throw new Error("--org DIR (written by org-seed.js) is required");
  const kind = values.kind as RegistryKind;
  const repos = Array.from({ length: Number(values.repos) }, (_, i) => orgRepository(i));
  const tags = repos.length * Number(values["tags-per-repo"]);
  const shards = Number(values.shards);
  const steps = new Set(values.steps.split(","));
  const dir = await mkdtemp(path.join(os.tmpdir(), "orgbench-run-"));
  const seeded = path.join(values.org, kind);
  const limit = values["pull-limit"] ? ["--pull-limit", values["pull-limit"]] : [];
  const source = await startCountingRegistry(kind, seeded, dir, limit);
  const mirror = await startCountingRegistry(kind, seeded, dir);
  const rows: Row[] = [];
  /** Runs a step with fresh tallies, then reads them once the access logs have caught up. */
  const run = async (step: string, target: CountingRegistry, work: () => Promise<Measured>) => {
    source.reset();
    target.reset();
    const measured = await work();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const row: Row = { kind, tags, step, measured, source: source.tally(), target: target.tally() };
    rows.push(row);
    console.log(JSON.stringify(row));
    console.error(formatRow(row));
  };
  const shardRuns = async (target: CountingRegistry) => {
    const plan = path.join(dir, `plan-${target.host.replace(":", "-")}.json`);
    const [command, args] = crossdockSync(source.host, target.host, repos, ["--plan-out", plan]);
    await measure(command, args);
    return await measureTogether(Array.from({ length: shards }, (_, i) => crossdockShard(plan, i, shards)));
  };
  try {
    console.error(
      `| registry | tags | step | wall | cpu | peak RSS | requests per tag (source / target) | 429s | tags written | tags written twice |`,
    );
    console.error(`| --- | ---: | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |`);
    if (steps.has("noop"))
      await run("crossdock no-op, 1 process", mirror, () =>
        measure(...crossdockSync(source.host, mirror.host, repos, [])),
      );
    if (steps.has("noop-shards"))
      await run(`crossdock no-op, ${shards} shards`, mirror, () => shardRuns(mirror));
    for (const [step, sharded] of [
      ["full", false],
      ["full-shards", true],
    ] as const) {
      if (!steps.has(step)) continue;
      const storage = await mkdtemp(path.join(dir, "target-"));
      const target = await startCountingRegistry(kind, storage, dir);
      try {
        const label = sharded ? `crossdock full, ${shards} shards` : "crossdock full, 1 process";
        await run(label, target, () =>
          sharded ? shardRuns(target) : measure(...crossdockSync(source.host, target.host, repos, [])),
        );
        if (steps.has(`${step}-resync`))
          await run(`crossdock no-op re-sync, 1 process`, target, () =>
            measure(...crossdockSync(source.host, target.host, repos, [])),
          );
      } finally {
        await target.stop();
        await rm(storage, { recursive: true, force: true });
      }
    }
    if (steps.has("skopeo-full")) {
      const storage = await mkdtemp(path.join(dir, "target-"));
      const target = await startCountingRegistry(kind, storage, dir);
      try {
        const command = await skopeoSync(source.host, target.host, repos, dir);
        await run("skopeo sync full", target, () => measure(...command));
        if (steps.has("skopeo-noop"))
          await run("skopeo sync no-op re-sync", target, () => measure(...command));
      } finally {
        await target.stop();
        await rm(storage, { recursive: true, force: true });
      }
    }
  } finally {
    await Promise.all([source.stop(), mirror.stop()]);
    await rm(dir, { recursive: true, force: true });
  }
}

await main();

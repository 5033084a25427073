import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { PullBudget } from "../../src/copy/pull-budget.js";
import { createSyntheticImage } from "../../src/oci/synthetic.js";
import type { DistributionRegistry } from "../helpers/distribution.js";
import { cliPath } from "../helpers/paths.js";
import { seedImage } from "../helpers/seed.js";
import { startServeRegistry } from "../helpers/serve.js";

const run = promisify(execFile);

describe("sync spends a rate-limited source's pulls carefully (crossdock serve with Docker Hub's accounting)", () => {
  let source: DistributionRegistry;
  let target: DistributionRegistry;

  before(async () => {
    // 8 pulls per hour: each 2-platform image costs 3 manifest GETs (index and two children).
    source = await startServeRegistry({ pullLimit: { limit: 8, windowSeconds: 3600 } });
    target = await startServeRegistry();
    for (const tag of ["v1", "v2", "v3", "v4"]) {
      await seedImage(source.url, "proj/app", createSyntheticImage({ seed: `budget-${tag}` }), tag);
    }
  });
  after(async () => {
    await Promise.all([source?.stop(), target?.stop()]);
  });

  test("it stops before the reserve with the rest pending, never drawing a 429; HEADs cost nothing", async () => {
    source.clearAccessLog();
    const args = [
      "sync",
      "--json",
      "--from",
      `${source.host}/proj`,
      "--to",
      `${target.host}/proj`,
      "--repos",
      "app",
    ];
    const first = await run(process.execPath, [
      cliPath,
      ...args,
      "--reserve",
      "2",
      "--max-wait",
      "1s",
      "--jobs",
      "1",
    ]).catch((error: { stdout: string; code: number }) => error);
    assert.equal((first as { code?: number }).code, 1, "unfinished work exits 1");
    const report = JSON.parse(first.stdout) as {
      entries: { status: string }[];
      summary: { counts: Record<string, number>; rateLimit?: { remaining: number; limit: number } };
    };
    assert.equal(report.summary.counts["copied"], 2, "two images fit in 8 pulls with 2 kept in reserve");
    assert.equal(report.summary.counts["pending"], 2);
    assert.equal(report.summary.counts["failed"], 0);
    assert.equal(report.summary.rateLimit?.limit, 8);
    assert.ok((report.summary.rateLimit?.remaining ?? 0) >= 2, "the reserve is left");
    const log = source.accessLog();
    assert.equal(log.filter((e) => e.status === 429).length, 0, "no 429 drawn");
    assert.equal(log.filter((e) => e.method === "GET" && e.path.includes("/manifests/")).length, 6);
    // One HEAD per tag decided the plan, and HEADs cost no pulls (the copies still fit in 6 GETs).
    assert.ok(log.filter((e) => e.method === "HEAD" && e.path.includes("/manifests/")).length >= 4);
  });
});

test("PullBudget waits while the budget is at the reserve, re-probing, and goes on when pulls come back", async () => {
  let remaining = 2;
  let probes = 0;
  const waits: number[] = [];
  const budget = new PullBudget({
    read: () => ({ limit: 10, remaining, observedAt: probes }),
    probe: async () => {
      probes++;
      if (probes === 3) remaining = 10;
    },
    reserve: 2,
    probeIntervalMs: 5,
    onWait: (waited) => waits.push(waited),
  });
  await budget.acquire();
  assert.equal(probes, 3, "it probed until the budget came back");
  assert.equal(waits.length, 3);
  assert.equal(budget.spent, 1);
});

test("PullBudget with maxWaitMs stops with a clear error instead of waiting on", async () => {
  const budget = new PullBudget({
    read: () => ({ limit: 10, remaining: 1, observedAt: 0 }),
    probe: async () => {},
    reserve: 2,
    maxWaitMs: 20,
    probeIntervalMs: 5,
  });
  await assert.rejects(budget.acquire(), (error: Error & { code?: string }) => {
    assert.equal(error.code, "PULL_BUDGET_EXHAUSTED");
    assert.match(error.message, /down to 1 \(reserve 2\)/);
    return true;
  });
});

test("PullBudget in a group of 4: shards that all hold one stale reading together leave the reserve", async () => {
  const reading = { limit: 20, remaining: 20, observedAt: 0 };
  let spent = 0;
  for (const index of [0, 1, 2, 3]) {
    // No response has come back yet: every shard sees the same reading, and probing tells nothing new.
    const budget = new PullBudget({
      read: () => reading,
      probe: async () => {},
      reserve: 4,
      maxWaitMs: 0,
      group: { index, count: 4 },
    });
    for (;;) {
      try {
        await budget.acquire();
        spent++;
      } catch {
        break;
      }
    }
  }
  assert.equal(
    spent,
    20 - 4,
    "the group spent what was above the reserve, no more (alone, each would take 16)",
  );
});

test("PullBudget in a group refreshes its reading with a free probe before it pauses", async () => {
  let remaining = 20;
  let observedAt = 0;
  const budget = new PullBudget({
    read: () => ({ limit: 20, remaining, observedAt }),
    probe: async () => {
      observedAt++;
    },
    reserve: 4,
    maxWaitMs: 0,
    group: { index: 1, count: 4 },
  });
  let spent = 0;
  for (;;) {
    try {
      await budget.acquire();
      spent++;
      remaining--; // the account counts the pull; the budget sees it at its next reading
    } catch {
      break;
    }
  }
  // Without the refresh it would stop after 4 pulls on its first reading; with it, alone on the
  // account, it goes on to where a fresh reading leaves one pull for each of the others above the reserve.
  assert.equal(spent, 20 - 4 - 3);
});

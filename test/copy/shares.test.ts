import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { divideIntoShares, type PlannedRepository, parseShard } from "../../src/copy/shares.js";

const plans = fc.uniqueArray(
  fc.record({
    repository: fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/),
    tags: fc.uniqueArray(fc.stringMatching(/^v[0-9]{1,3}\.[0-9]{1,2}$/), { maxLength: 60 }),
  }),
  { selector: (r) => r.repository, maxLength: 25 },
);

function pairs(plan: readonly PlannedRepository[]): string[] {
  return plan.flatMap((r) => r.tags.map((t) => `${r.repository}:${t}`)).sort();
}

test("shares cover every tag of the plan exactly once, for N = 1..16", () => {
  fc.assert(
    fc.property(plans, fc.integer({ min: 1, max: 16 }), (plan, n) => {
      const shares = divideIntoShares(plan, n);
      assert.equal(shares.length, n);
      assert.deepEqual(pairs(shares.flatMap((s) => s.repositories)), pairs(plan));
      for (const share of shares)
        assert.equal(
          share.tagCount,
          share.repositories.reduce((sum, r) => sum + r.tags.length, 0),
        );
    }),
  );
});

test("shares are the same whatever order the listing came in", () => {
  fc.assert(
    fc.property(plans, fc.integer({ min: 1, max: 16 }), fc.integer(), (plan, n, seed) => {
      const shuffled = [...plan]
        .map((r, i) => ({ r: { ...r, tags: [...r.tags].reverse() }, key: (i * 7919 + seed) % 1009 }))
        .sort((a, b) => a.key - b.key)
        .map((x) => x.r);
      assert.deepEqual(divideIntoShares(shuffled, n), divideIntoShares(plan, n));
    }),
  );
});

test("a repository stays whole unless it holds more than one share's fair part", () => {
  fc.assert(
    fc.property(plans, fc.integer({ min: 1, max: 16 }), (plan, n) => {
      const total = plan.reduce((sum, r) => sum + r.tags.length, 0);
      const fairPart = Math.max(1, Math.ceil(total / n));
      const holders = new Map<string, number>();
      for (const share of divideIntoShares(plan, n))
        for (const r of share.repositories) holders.set(r.repository, (holders.get(r.repository) ?? 0) + 1);
      for (const r of plan) {
        if (r.tags.length === 0) continue;
        const most = Math.ceil(r.tags.length / fairPart);
        assert.ok(
          holders.get(r.repository)! <= most,
          `${r.repository} split over ${holders.get(r.repository)} shares`,
        );
        if (r.tags.length <= fairPart) assert.equal(holders.get(r.repository), 1);
      }
    }),
  );
});

test("shares differ in size by at most one piece", () => {
  fc.assert(
    fc.property(plans, fc.integer({ min: 1, max: 16 }), (plan, n) => {
      const total = plan.reduce((sum, r) => sum + r.tags.length, 0);
      const fairPart = Math.max(1, Math.ceil(total / n));
      const sizes = divideIntoShares(plan, n).map((s) => s.tagCount);
      assert.ok(Math.max(...sizes) - Math.min(...sizes) <= fairPart, `sizes ${sizes.join(",")}`);
    }),
  );
});

test("one skewed repository of 5,000 tags is spread over every share, the small ones kept whole", () => {
  const plan: PlannedRepository[] = [
    { repository: "huge", tags: Array.from({ length: 5000 }, (_, i) => `build-${i}`) },
    ...Array.from({ length: 40 }, (_, i) => ({
      repository: `small-${i}`,
      tags: Array.from({ length: 3 + (i % 5) }, (_, j) => `v${j}`),
    })),
  ];
  for (const n of [1, 2, 3, 4, 7, 8, 16]) {
    const shares = divideIntoShares(plan, n);
    assert.deepEqual(pairs(shares.flatMap((s) => s.repositories)), pairs(plan));
    const sizes = shares.map((s) => s.tagCount);
    const total = sizes.reduce((a, b) => a + b, 0);
    assert.ok(Math.max(...sizes) <= Math.ceil(total / n) + 7, `n=${n}: ${sizes.join(",")}`);
    for (let i = 0; i < 40; i++)
      assert.equal(shares.filter((s) => s.repositories.some((r) => r.repository === `small-${i}`)).length, 1);
  }
});

test("--shard I/N is parsed, and a share that does not exist is refused", () => {
  assert.deepEqual(parseShard("0/4"), { index: 0, count: 4 });
  assert.deepEqual(parseShard("3/4"), { index: 3, count: 4 });
  for (const bad of ["4/4", "1/0", "-1/4", "a/b", "1", "1/2/3"])
    assert.throws(() => parseShard(bad), RangeError);
});

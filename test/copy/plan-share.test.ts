import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { formatSyncPlan, parseSyncPlan } from "../../src/copy/plan-file.js";
import { shareOfPlan } from "../../src/copy/plan-share.js";
import type { SyncPlan } from "../../src/copy/sync-plan.js";
import { parseSyncEndpoint } from "../../src/store/sync-endpoint.js";

const repositories = fc.uniqueArray(
  fc.record({
    repository: fc.constantFrom("app", "ui", "db", "big", "tools"),
    tags: fc.uniqueArray(fc.stringMatching(/^v[0-9]{1,2}\.[0-9]$/), { maxLength: 40 }),
  }),
  { selector: (r) => r.repository, maxLength: 5 },
);

/** Two mappings whose repositories share names: shares must tell them apart by their prefixes. */
const plans = fc.tuple(repositories, repositories).map(
  ([first, second]): SyncPlan => ({
    version: 1,
    mappings: [
      {
        from: parseSyncEndpoint("docker.io/org"),
        to: parseSyncEndpoint("ghcr.io/org"),
        policy: {},
        repositories: first,
      },
      {
        from: parseSyncEndpoint("quay.io/org"),
        to: parseSyncEndpoint("oci:./carry"),
        policy: {},
        repositories: second,
      },
    ],
  }),
);

function tagsOf(plan: SyncPlan): string[] {
  return plan.mappings
    .flatMap((m, i) =>
      m.repositories.flatMap((r) => r.tags.map((t) => `${i}:${m.from.kind}:${r.repository}:${t}`)),
    )
    .sort();
}

test("the shares of a plan with several mappings hold every tag once, in their own mapping", () => {
  fc.assert(
    fc.property(plans, fc.integer({ min: 1, max: 8 }), (plan, n) => {
      const shards = Array.from({ length: n }, (_, index) => shareOfPlan(plan, { index, count: n }));
      const fromShards = shards.flatMap((share) =>
        share.mappings.flatMap((m) => {
          const i = plan.mappings.findIndex((p) => p.from === m.from);
          return m.repositories.flatMap((r) => r.tags.map((t) => `${i}:${m.from.kind}:${r.repository}:${t}`));
        }),
      );
      assert.deepEqual(fromShards.sort(), tagsOf(plan));
    }),
  );
});

test("a plan survives its file: format then parse gives the same plan, and the same bytes again", () => {
  fc.assert(
    fc.property(plans, (plan) => {
      const text = formatSyncPlan(plan);
      const parsed = parseSyncPlan(text, "plan.json");
      assert.equal(formatSyncPlan(parsed), text);
      assert.deepEqual(tagsOf(parsed), tagsOf(plan));
    }),
  );
});

test("a file that is not a plan is a UsageError naming the file and the field", () => {
  const cases: [string, RegExp][] = [
    ["{", /plan\.json: not JSON/],
    ['{"kind":"crossdock-sync-result","version":1}', /plan\.json: not a crossdock sync plan/],
    [
      '{"kind":"crossdock-sync-plan","version":1,"mappings":[{"from":"docker.io/a","to":"Bad//x","repositories":[]}]}',
      /plan\.json: mappings\[0\]\.to: /,
    ],
    [
      '{"kind":"crossdock-sync-plan","version":1,"mappings":[{"from":"docker.io/a","to":"ghcr.io/a","repositories":[{"repository":"x","tags":[1]}]}]}',
      /plan\.json: mappings\[0\]\.repositories\[0\]/,
    ],
    [
      '{"kind":"crossdock-sync-plan","version":1,"mappings":[{"from":"docker.io/a","to":"ghcr.io/a","policy":{"include":"("},"repositories":[]}]}',
      /plan\.json: mappings\[0\]\.policy/,
    ],
  ];
  for (const [text, message] of cases)
    assert.throws(
      () => parseSyncPlan(text, "plan.json"),
      (error: Error & { code?: string }) => error.code === "USAGE" && message.test(error.message),
      text,
    );
});

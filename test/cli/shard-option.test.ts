import assert from "node:assert/strict";
import { test } from "node:test";
import { resolveShard } from "../../src/cli/shard-option.js";

test("the shard comes from --shard, else CROSSDOCK_SHARD, else JOB_COMPLETION_INDEX with CROSSDOCK_SHARDS", () => {
  const cases: [string | undefined, NodeJS.ProcessEnv, { index: number; count: number } | undefined][] = [
    [undefined, {}, undefined],
    ["1/4", { CROSSDOCK_SHARD: "2/4" }, { index: 1, count: 4 }],
    [
      undefined,
      { CROSSDOCK_SHARD: "2/4", JOB_COMPLETION_INDEX: "0", CROSSDOCK_SHARDS: "4" },
      { index: 2, count: 4 },
    ],
    [undefined, { JOB_COMPLETION_INDEX: "3", CROSSDOCK_SHARDS: "8" }, { index: 3, count: 8 }],
    // Any Indexed Job sets the index; without CROSSDOCK_SHARDS it does not make crossdock a shard.
    [undefined, { JOB_COMPLETION_INDEX: "3" }, undefined],
  ];
  for (const [flag, env, expected] of cases)
    assert.deepEqual(resolveShard(flag, env), expected, JSON.stringify(env));
});

test("malformed shard settings are UsageErrors naming where they came from", () => {
  const cases: [string | undefined, NodeJS.ProcessEnv, RegExp][] = [
    ["4/4", {}, /--shard=4\/4/],
    [undefined, { CROSSDOCK_SHARD: "one" }, /CROSSDOCK_SHARD=one/],
    [undefined, { CROSSDOCK_SHARDS: "4" }, /JOB_COMPLETION_INDEX is not/],
    [
      undefined,
      { CROSSDOCK_SHARDS: "4", JOB_COMPLETION_INDEX: "4" },
      /JOB_COMPLETION_INDEX=4 with CROSSDOCK_SHARDS/,
    ],
  ];
  for (const [flag, env, message] of cases)
    assert.throws(
      () => resolveShard(flag, env),
      (error: Error & { code?: string }) => error.code === "USAGE" && message.test(error.message),
    );
});

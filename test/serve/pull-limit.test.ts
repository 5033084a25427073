import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createSyntheticImage } from "../../src/oci/synthetic.js";
import { ServeError } from "../../src/serve/errors.js";
import { PullLimiter } from "../../src/serve/pull-limit.js";
import type { DistributionRegistry } from "../helpers/distribution.js";
import { seedImage } from "../helpers/seed.js";
import { startServeRegistry } from "../helpers/serve.js";

const image = createSyntheticImage({ seed: "limited", index: false });
let registry: DistributionRegistry;
before(async () => {
  registry = await startServeRegistry({ pullLimit: { limit: 2, windowSeconds: 3600 } });
  await seedImage(registry.url, "lib/app", image, "1");
});
after(async () => {
  await registry.stop();
});

async function request(method: string, path: string): Promise<Response> {
  const response = await fetch(`${registry.url}${path}`, { method });
  await response.arrayBuffer();
  return response;
}

test("manifest GETs count against the pull limit, HEADs and blob GETs do not, then 429 with Retry-After", async () => {
  const head = await request("HEAD", "/v2/lib/app/manifests/1");
  assert.equal(head.status, 200);
  assert.equal(head.headers.get("ratelimit-limit"), "2;w=3600");
  assert.equal(head.headers.get("ratelimit-remaining"), "2;w=3600");
  const blob = await request("GET", `/v2/lib/app/blobs/${image.blobs[0]!.digest}`);
  assert.equal(blob.status, 200);
  assert.equal(blob.headers.get("ratelimit-remaining"), "2;w=3600");
  const first = await request("GET", "/v2/lib/app/manifests/1");
  assert.equal(first.status, 200);
  assert.equal(first.headers.get("ratelimit-remaining"), "1;w=3600");
  const second = await request("GET", `/v2/lib/app/manifests/${image.root.digest}`);
  assert.equal(second.headers.get("ratelimit-remaining"), "0;w=3600");
  const third = await fetch(`${registry.url}/v2/lib/app/manifests/1`);
  assert.equal(third.status, 429);
  assert.equal(((await third.json()) as { errors: { code: string }[] }).errors[0]?.code, "TOOMANYREQUESTS");
  const retryAfter = Number(third.headers.get("retry-after"));
  assert.ok(retryAfter > 3500 && retryAfter <= 3600, `Retry-After ${retryAfter}`);
  assert.equal(third.headers.get("ratelimit-remaining"), "0;w=3600");
  const stillHead = await request("HEAD", "/v2/lib/app/manifests/1");
  assert.equal(stillHead.status, 200, "a HEAD still answers when the budget is spent");
  const ping = await request("GET", "/v2/");
  assert.equal(ping.headers.get("ratelimit-remaining"), "0;w=3600");
});

test("the window slides: a pull leaves the budget windowSeconds after it was counted, per client", () => {
  let now = 1_000_000;
  const limiter = new PullLimiter({ limit: 2, windowSeconds: 60 }, () => now);
  limiter.take("10.0.0.1");
  now += 30_000;
  limiter.take("10.0.0.1");
  limiter.take("10.0.0.2");
  assert.equal(limiter.headers("10.0.0.1")["ratelimit-remaining"], "0;w=60");
  assert.throws(
    () => limiter.take("10.0.0.1"),
    (error: unknown) =>
      error instanceof ServeError && error.status === 429 && error.headers["retry-after"] === "30",
  );
  now += 30_001;
  assert.equal(limiter.headers("10.0.0.1")["ratelimit-remaining"], "1;w=60");
  limiter.take("10.0.0.1");
  assert.equal(limiter.headers("10.0.0.2")["ratelimit-remaining"], "1;w=60");
});

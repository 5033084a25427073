import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createSyntheticImage } from "../../src/oci/synthetic.js";
import type { DistributionRegistry } from "../helpers/distribution.js";
import { seedImage } from "../helpers/seed.js";
import { startServeRegistry } from "../helpers/serve.js";

let registry: DistributionRegistry;
before(async () => {
  registry = await startServeRegistry();
  const image = createSyntheticImage({ seed: "listing", index: false });
  for (const tag of ["v3", "v1", "latest", "v2"]) await seedImage(registry.url, "org/app", image, tag);
  for (const repo of ["zeta", "alpha", "org/tool"]) await seedImage(registry.url, repo, image, "1");
});
after(async () => {
  await registry.stop();
});

/** Follows `Link: <...>; rel="next"` headers from a first page to the end. */
async function pages(first: string, key: "tags" | "repositories"): Promise<string[][]> {
  const out: string[][] = [];
  let next: string | undefined = first;
  while (next !== undefined) {
    const response = await fetch(new URL(next, registry.url));
    assert.equal(response.status, 200);
    out.push(((await response.json()) as Record<string, string[]>)[key]!);
    const link = response.headers.get("link");
    next = link === null ? undefined : /^<([^>]+)>; rel="next"$/.exec(link)?.[1];
    assert.ok(link === null || next !== undefined, `malformed Link header ${link}`);
  }
  return out;
}

test("tags are listed in lexical order, two a page with Link headers to the next", async () => {
  assert.deepEqual(await pages("/v2/org/app/tags/list?n=2", "tags"), [
    ["latest", "v1"],
    ["v2", "v3"],
  ]);
  assert.deepEqual(await pages("/v2/org/app/tags/list?n=3&last=latest", "tags"), [["v1", "v2", "v3"]]);
  assert.deepEqual(await pages("/v2/org/app/tags/list", "tags"), [["latest", "v1", "v2", "v3"]]);
  const unknown = await fetch(`${registry.url}/v2/no/such/tags/list`);
  assert.equal(unknown.status, 404);
  assert.equal(((await unknown.json()) as { errors: { code: string }[] }).errors[0]?.code, "NAME_UNKNOWN");
});

test("the catalog lists repositories, nested ones too, paginated the same way", async () => {
  assert.deepEqual(await pages("/v2/_catalog?n=3", "repositories"), [
    ["alpha", "org/app", "org/tool"],
    ["zeta"],
  ]);
  assert.deepEqual(await pages("/v2/_catalog?n=10&last=org/app", "repositories"), [["org/tool", "zeta"]]);
});

test("unknown endpoints and methods answer in the spec's error shape", async () => {
  const ping = await fetch(`${registry.url}/v2/`);
  assert.equal(ping.status, 200);
  assert.equal(ping.headers.get("docker-distribution-api-version"), "registry/2.0");
  const post = await fetch(`${registry.url}/v2/org/app/tags/list`, { method: "POST" });
  assert.equal(post.status, 405);
  assert.equal(((await post.json()) as { errors: { code: string }[] }).errors[0]?.code, "UNSUPPORTED");
  const badName = await fetch(`${registry.url}/v2/UPPER/manifests/x`);
  await badName.arrayBuffer();
  assert.equal(badName.status, 404);
  const log = registry.accessLog();
  assert.ok(
    log.some((e) => e.method === "GET" && e.path === "/v2/_catalog?n=3" && e.status === 200 && e.bytes > 0),
  );
});

import assert from "node:assert/strict";
import { test } from "node:test";
import { startDistribution } from "./distribution.js";
import { skipUnless } from "./tools.js";

test("the harness starts docker-registry on loopback and reads its access log", {
  skip: skipUnless("docker-registry"),
}, async () => {
  const registry = await startDistribution();
  try {
    const response = await fetch(`${registry.url}/v2/_catalog`);
    assert.equal(response.status, 200);
    await response.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(
      registry.accessLog().some((e) => e.method === "GET" && e.path === "/v2/_catalog" && e.status === 200),
    );
  } finally {
    await registry.stop();
  }
});

import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import { describe, test } from "node:test";
import { createSyntheticImage } from "../../src/oci/synthetic.js";
import { parseReference } from "../../src/reference/reference.js";
import { HostState } from "../../src/registry/host-state.js";
import { startScriptedServer } from "../helpers/scripted-server.js";
import { trackClientsAndServers } from "../helpers/tracked-clients.js";

const image = createSyntheticImage({ seed: "host-state", index: false, layerSizes: [64] });
const layer = image.blobs.find((b) => b.digest !== image.root.digest && b.size > 0)!;

function sendManifest(res: ServerResponse, method: string): void {
  res.writeHead(200, {
    "content-type": image.root.mediaType,
    "content-length": String(image.root.size),
    "docker-content-digest": image.root.digest,
  });
  res.end(method === "HEAD" ? undefined : Buffer.from(image.root.bytes));
}

describe("per-host request state", () => {
  const { servers, newClient } = trackClientsAndServers();

  test("a hold keeps the later of two backoffs", () => {
    const state = new HostState();
    state.backOff(1_000, 0);
    state.backOff(200, 0);
    assert.equal(state.heldFor(0), 1_000);
    state.backOff(2_000, 500);
    assert.equal(state.heldFor(500), 2_000);
    assert.equal(state.heldFor(10_000), 0);
  });

  test("a 429 with Retry-After on one request holds every request to that host", async () => {
    const seen: { url: string; at: number }[] = [];
    const server = await startScriptedServer((req, res) => {
      seen.push({ url: req.url, at: Date.now() });
      if (req.url.includes("/busy/") && seen.filter((s) => s.url.includes("/busy/")).length === 1) {
        res.writeHead(429, { "retry-after": "1", "content-type": "application/json" });
        res.end(JSON.stringify({ errors: [{ code: "TOOMANYREQUESTS", message: "slow down" }] }));
        return;
      }
      sendManifest(res, req.method);
    });
    servers.push(server);
    const client = newClient({ maxRetries: 2 });
    const first = client.getManifest(parseReference(`${server.host}/busy/app:1`));
    // A request that has nothing to do with the 429, sent while the host is held.
    while (seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const heldAt = seen[0]!.at;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const other = await client.headManifest(parseReference(`${server.host}/other/app:1`));
    assert.equal(other?.digest, image.root.digest);
    assert.equal((await first).digest, image.root.digest);
    const otherAt = seen.find((s) => s.url.includes("/other/"))!.at;
    assert.ok(
      otherAt - heldAt >= 900,
      `the other request waited ${otherAt - heldAt} ms, not the second asked for`,
    );
  });

  test("small requests are not queued behind blob transfers, even with one connection per host", async () => {
    let release: (() => void) | undefined;
    const server = await startScriptedServer((req, res) => {
      if (req.url.includes("/blobs/")) {
        // Half the blob, then the transfer waits (a slow download holding its connection).
        res.writeHead(200, { "content-length": String(layer.size), "docker-content-digest": layer.digest });
        res.write(Buffer.from(layer.bytes).subarray(0, 10));
        release = () => res.end(Buffer.from(layer.bytes).subarray(10));
        return;
      }
      sendManifest(res, req.method);
    });
    servers.push(server);
    const client = newClient({ connectionsPerHost: 1 });
    const repo = parseReference(`${server.host}/app`);
    const blob = await client.getBlob(repo, layer.digest, { expectedSize: layer.size });
    const reading = (async () => {
      for await (const _ of blob.stream) {
        // drain
      }
    })();
    const head = await Promise.race([
      client.headManifest(parseReference(`${server.host}/app:1`)),
      new Promise((resolve) => setTimeout(() => resolve("queued"), 2_000)),
    ]);
    assert.notEqual(head, "queued", "the HEAD waited for the blob's connection");
    release?.();
    await reading;
  });
});

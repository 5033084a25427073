/**
 * A target registry behind a proxy that limits request bodies (nginx's client_max_body_size,
 * Cloudflare's 100 MB) answers a whole-blob PUT with 413: crossdock sends that blob again in PATCH
 * chunks, and every later upload to that registry goes in chunks from the start, so a large
 * image still reaches a registry that refuses large requests.
 * https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#pushing-a-blob-in-chunks
 */
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { copyImage } from "../../src/copy/copy-image.js";
import { CopySession } from "../../src/copy/session.js";
import { createSyntheticImage } from "../../src/oci/synthetic.js";
import { parseReference } from "../../src/reference/reference.js";
import { RegistryClient } from "../../src/registry/client.js";
import { RegistryRepository } from "../../src/store/registry-repository.js";
import type { DistributionRegistry } from "../helpers/distribution.js";
import { registryKinds } from "../helpers/registries.js";
import { seedImage } from "../helpers/seed.js";
import { digestOf, skopeoRaw } from "../helpers/skopeo.js";

/** The largest request body the proxy lets through, like client_max_body_size. */
const bodyLimit = 100_000;

interface SeenUpload {
  readonly method: string;
  readonly length: number;
  readonly status: number;
}

/** A reverse proxy to `upstream` that refuses (413) any request whose Content-Length is over the limit. */
async function startLimitingProxy(
  upstream: URL,
): Promise<{ host: string; seen: SeenUpload[]; stop(): Promise<void> }> {
  const seen: SeenUpload[] = [];
  const server = http.createServer((req, res) => {
    const length = Number(req.headers["content-length"] ?? 0);
    const upload = req.method === "PUT" || req.method === "PATCH";
    if (upload && length > bodyLimit) {
      // As nginx does: read and drop the body, then refuse it.
      req.resume();
      req.on("end", () => {
        seen.push({ method: req.method ?? "", length, status: 413 });
        res.writeHead(413, { "content-type": "text/html" });
        res.end("<html><body>413 Request Entity Too Large</body></html>");
      });
      return;
    }
    const forwarded = http.request(
      new URL(req.url ?? "/", upstream),
      { method: req.method, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        if (upload) seen.push({ method: req.method ?? "", length, status: answer.statusCode ?? 0 });
        // Locations point at the upstream: rewrite them to come back through the proxy.
        const headers = { ...answer.headers };
        if (typeof headers.location === "string")
          headers.location = headers.location.replace(upstream.host, `127.0.0.1:${port()}`);
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res);
      },
    );
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = () => (server.address() as AddressInfo).port;
  return {
    host: `127.0.0.1:${port()}`,
    seen,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

for (const kind of registryKinds)
  describe(`uploads to a ${kind.name} registry behind a proxy with a body limit`, { skip: kind.skip }, () => {
    let source: DistributionRegistry;
    let target: DistributionRegistry;
    let proxy: Awaited<ReturnType<typeof startLimitingProxy>>;
    let client: RegistryClient;

    before(async () => {
      [source, target] = await Promise.all([kind.start(), kind.start()]);
      proxy = await startLimitingProxy(new URL(target.url));
      client = new RegistryClient({ uploadChunkBytes: 64 * 1024 });
    });
    after(async () => {
      await client?.close();
      await proxy?.stop();
      await Promise.all([source?.stop(), target?.stop()]);
    });

    test("a refused whole-blob PUT is sent again in chunks; later uploads are chunked at once", async () => {
      const first = createSyntheticImage({ seed: "limit/first", index: false, layerSizes: [300_000] });
      const second = createSyntheticImage({ seed: "limit/second", index: false, layerSizes: [250_000] });
      await seedImage(source.url, "proj/first", first, "v1");
      await seedImage(source.url, "proj/second", second, "v1");
      const session = new CopySession();
      const from = (path: string) => new RegistryRepository(client, parseReference(`${source.host}/${path}`));
      const to = (path: string) => new RegistryRepository(client, parseReference(`${proxy.host}/${path}`));

      const one = await copyImage(from("proj/first"), to("mirror/first"), "v1", { session });
      assert.equal(one.digest, first.root.digest);
      const refused = proxy.seen.filter((s) => s.status === 413);
      assert.equal(refused.length, 1, "one whole-blob PUT refused");
      assert.equal(refused[0]?.length, Math.max(...first.blobs.map((b) => b.size)), "the layer's PUT");
      const patches = proxy.seen.filter((s) => s.method === "PATCH");
      assert.ok(patches.length >= 5, `the refused layer went in 64 KiB chunks (${patches.length} PATCHes)`);
      assert.ok(patches.every((p) => p.length <= 64 * 1024 && p.status === 202));

      const seenBefore = proxy.seen.length;
      const two = await copyImage(from("proj/second"), to("mirror/second"), "v1", { session });
      assert.equal(two.digest, second.root.digest);
      const later = proxy.seen.slice(seenBefore);
      assert.ok(
        later.every((s) => s.status !== 413),
        "no second refusal: the registry is known to want chunks",
      );
      assert.ok(later.some((s) => s.method === "PATCH"));

      // An independent client reads both images back, byte for byte, from the registry itself.
      assert.equal(digestOf(await skopeoRaw(`${target.host}/mirror/first:v1`)), first.root.digest);
      assert.equal(digestOf(await skopeoRaw(`${target.host}/mirror/second:v1`)), second.root.digest);
    });
  });

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createSyntheticImage } from "../../src/oci/synthetic.js";
import { parseReference } from "../../src/reference/reference.js";
import { RegistryError } from "../../src/registry/errors.js";
import { startScriptedServer } from "../helpers/scripted-server.js";
import { trackClientsAndServers } from "../helpers/tracked-clients.js";

const image = createSyntheticImage({ seed: "protocol", index: false, layerSizes: [64] });
const manifest = image.root;

/** Answers a manifest GET/HEAD with the synthetic manifest. */
function sendManifest(
  res: import("node:http").ServerResponse,
  method: string,
  extra: Record<string, string> = {},
): void {
  res.writeHead(200, {
    "content-type": manifest.mediaType,
    "content-length": String(manifest.size),
    "docker-content-digest": manifest.digest,
    ...extra,
  });
  res.end(method === "HEAD" ? undefined : Buffer.from(manifest.bytes));
}

describe("registry protocol corner cases (scripted servers)", () => {
  const { servers, newClient } = trackClientsAndServers();

  test("a 429 with Retry-After is waited for and retried, then succeeds", async () => {
    let calls = 0;
    const server = await startScriptedServer((req, res) => {
      calls++;
      if (calls === 1) {
        res.writeHead(429, { "retry-after": "1", "content-type": "application/json" });
        res.end(JSON.stringify({ errors: [{ code: "TOOMANYREQUESTS", message: "slow down" }] }));
        return;
      }
      sendManifest(res, req.method);
    });
    servers.push(server);
    const client = newClient();
    const started = Date.now();
    const fetched = await client.getManifest(parseReference(`${server.host}/app:1`));
    assert.equal(fetched.digest, manifest.digest);
    assert.ok(Date.now() - started >= 900, "waited for Retry-After");
    assert.equal(calls, 2);
    assert.equal(client.stats.forHost(server.host).rateLimited, 1);
    assert.equal(client.stats.forHost(server.host).retries, 1);
  });

  test("503s and a connection reset are retried with backoff, then succeed", async () => {
    let calls = 0;
    const server = await startScriptedServer((req, res, raw) => {
      calls++;
      if (calls === 1) {
        raw.socket.destroy();
        return;
      }
      if (calls <= 3) {
        res.writeHead(503);
        res.end();
        return;
      }
      sendManifest(res, req.method);
    });
    servers.push(server);
    const client = newClient();
    const info = await client.headManifest(parseReference(`${server.host}/app:1`));
    assert.equal(info?.digest, manifest.digest);
    assert.equal(calls, 4);
    assert.equal(client.stats.forHost(server.host).retries, 3);
  });

  test("retries are bounded; a Retry-After beyond the bound fails at once", async () => {
    const server = await startScriptedServer((req, res) => {
      if (req.url.includes("/manifests/busy")) {
        res.writeHead(429, { "retry-after": "3600" });
        res.end();
        return;
      }
      res.writeHead(502);
      res.end();
    });
    servers.push(server);
    const client = newClient({ maxRetries: 2, maxRetryAfterMs: 5_000 });
    const started = Date.now();
    await assert.rejects(client.getManifest(parseReference(`${server.host}/app:busy`)), (error: unknown) => {
      assert.ok(error instanceof RegistryError);
      assert.equal(error.status, 429);
      assert.equal(error.code, "TOOMANYREQUESTS");
      assert.equal(error.temporary, true);
      return true;
    });
    assert.ok(Date.now() - started < 2_000, "did not wait an hour");
    await assert.rejects(client.getManifest(parseReference(`${server.host}/app:down`)), (error: unknown) => {
      assert.ok(error instanceof RegistryError);
      assert.equal(error.status, 502);
      assert.equal(error.temporary, true);
      return true;
    });
    assert.equal(server.requests.filter((r) => r.url.includes("/down")).length, 3, "1 try + 2 retries");
  });

  test("ratelimit-* headers of any response, HEAD included, are recorded per registry", async () => {
    const server = await startScriptedServer((req, res) =>
      sendManifest(res, req.method, {
        "ratelimit-limit": "100;w=21600",
        "ratelimit-remaining": "76;w=21600",
      }),
    );
    servers.push(server);
    const client = newClient();
    assert.equal(client.rateLimit(server.host), undefined);
    await client.headManifest(parseReference(`${server.host}/app:1`));
    const state = client.rateLimit(server.host);
    assert.equal(state?.limit, 100);
    assert.equal(state?.remaining, 76);
    assert.equal(state?.windowSeconds, 21600);
    assert.ok(state !== undefined && Date.now() - state.observedAt < 5_000);
  });

  test("a manifest whose body does not match its digest is refused", async () => {
    const tampered = Buffer.from(manifest.bytes)
      .toString("utf8")
      .replace('"schemaVersion": 2', '"schemaVersion":2');
    const server = await startScriptedServer((_req, res) => {
      res.writeHead(200, { "content-type": manifest.mediaType, "docker-content-digest": manifest.digest });
      res.end(tampered);
    });
    servers.push(server);
    const client = newClient();
    const isMismatch = (error: unknown): boolean => {
      assert.equal((error as { code?: string }).code, "DIGEST_MISMATCH");
      return true;
    };
    await assert.rejects(client.getManifest(parseReference(`${server.host}/app:1`)), isMismatch);
    await assert.rejects(
      client.getManifest(parseReference(`${server.host}/app@${manifest.digest}`)),
      isMismatch,
    );
  });

  test("tags are read across every page of the Link header (n, last)", async () => {
    const all = ["a", "b", "c", "d", "e", "f", "g"];
    const server = await startScriptedServer((req, res) => {
      const url = new URL(req.url, "http://x");
      const n = Number(url.searchParams.get("n") ?? "100");
      const last = url.searchParams.get("last");
      const start = last === null ? 0 : all.indexOf(last) + 1;
      const page = all.slice(start, start + n);
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (start + n < all.length)
        headers["link"] = `</v2/app/tags/list?n=${n}&last=${page.at(-1)}>; rel="next"`;
      res.writeHead(200, headers);
      res.end(JSON.stringify({ name: "app", tags: page }));
    });
    servers.push(server);
    const client = newClient();
    assert.deepEqual(await client.listTags(parseReference(`${server.host}/app`), { pageSize: 3 }), all);
    assert.deepEqual(
      server.requests.map((r) => r.url),
      ["/v2/app/tags/list?n=3", "/v2/app/tags/list?n=3&last=c", "/v2/app/tags/list?n=3&last=f"],
    );
    assert.equal(client.stats.forHost(server.host).tagList, 3);
  });

  test("an AbortSignal cancels a request that hangs", async () => {
    const server = await startScriptedServer(() => {
      // never answers
    });
    servers.push(server);
    const client = newClient();
    const started = Date.now();
    await assert.rejects(
      client.headManifest(parseReference(`${server.host}/app:1`), AbortSignal.timeout(200)),
    );
    assert.ok(Date.now() - started < 3_000);
  });

  test("HEAD requests keep their connection, even for a blob whose Content-Length is large", async () => {
    const sockets = new Set<unknown>();
    const digest = `sha256:${"a".repeat(64)}`;
    const server = await startScriptedServer((req, res, raw) => {
      sockets.add(raw.socket);
      if (req.url.includes("/blobs/")) {
        res.writeHead(200, { "content-length": String(500_000_000), "docker-content-digest": digest });
        return void res.end();
      }
      sendManifest(res, req.method);
    });
    servers.push(server);
    const client = newClient();
    for (let i = 0; i < 4; i++) {
      assert.equal(await client.headBlob(parseReference(`${server.host}/app`), digest), 500_000_000);
      assert.equal(
        (await client.headManifest(parseReference(`${server.host}/app:1`)))?.digest,
        manifest.digest,
      );
    }
    assert.equal(server.requests.length, 8);
    assert.equal(sockets.size, 1, "one connection for every HEAD");
  });

  test("a registry that stalls times out after the idle timeout, is retried, then reported", async () => {
    const server = await startScriptedServer(() => {
      // accepts the request, never answers
    });
    servers.push(server);
    const client = newClient({ idleTimeoutMs: 150, maxRetries: 1, retryBaseMs: 10 });
    await assert.rejects(client.headManifest(parseReference(`${server.host}/app:1`)), (error: unknown) => {
      assert.ok(error instanceof RegistryError);
      assert.equal(error.code, "UNREACHABLE");
      assert.match(error.message, /ETIMEDOUT/);
      return true;
    });
    assert.equal(server.requests.length, 2, "the first attempt and one retry");
  });

  test("two WWW-Authenticate challenges stay two: the client picks Bearer over Basic", async () => {
    const server = await startScriptedServer((req, res) => {
      if (req.url?.startsWith("/token")) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ token: "t0ken" }));
        return;
      }
      if (req.headers.authorization !== "Bearer t0ken") {
        res.setHeader("www-authenticate", [
          'Basic realm="basic"',
          `Bearer realm="http://${req.headers.host}/token",service="scripted"`,
        ]);
        res.writeHead(401);
        res.end();
        return;
      }
      sendManifest(res, req.method);
    });
    servers.push(server);
    const client = newClient();
    const head = await client.headManifest(parseReference(`${server.host}/app:1`));
    assert.equal(head?.digest, manifest.digest);
    assert.ok(
      server.requests.some((r) => r.url.startsWith("/token")),
      "asked the Bearer realm for a token",
    );
  });

  test("an unreachable registry is one clear RegistryError, not retried forever", async () => {
    const server = await startScriptedServer(() => undefined);
    const host = server.host;
    await server.stop();
    const client = newClient();
    await assert.rejects(client.ping(host), (error: unknown) => {
      assert.ok(error instanceof RegistryError);
      assert.equal(error.code, "UNREACHABLE");
      assert.match(error.message, /refused/);
      return true;
    });
  });
});

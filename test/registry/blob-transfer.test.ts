import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sha256Digest } from "../../src/oci/digest.js";
import { createLayer } from "../../src/oci/synthetic.js";
import { parseReference } from "../../src/reference/reference.js";
import type { CredentialSource } from "../../src/registry/credentials/types.js";
import { startScriptedServer } from "../helpers/scripted-server.js";
import { trackClientsAndServers } from "../helpers/tracked-clients.js";

const layer = createLayer("blob-transfer-layer", 30_000);

function basicCredentials(username: string, password: string): CredentialSource {
  return {
    get: async () => ({ kind: "basic", username, password }),
    describe: () => "the test's credential source",
  };
}

describe("blob GETs: verification, redirects, resume (scripted servers)", () => {
  const { servers, newClient } = trackClientsAndServers();

  test("a blob whose bytes or size are wrong makes the stream error instead of ending", async () => {
    const corrupt = Buffer.from(layer.bytes);
    corrupt[100] = (corrupt[100] ?? 0) ^ 0xff;
    const server = await startScriptedServer((req, res) => {
      const body = req.url.includes("corrupt") ? corrupt : Buffer.from(layer.bytes);
      if (req.url.includes("unsized")) {
        // chunked transfer: no Content-Length, so only the stream can notice the size
        res.writeHead(200, { "content-type": "application/octet-stream" });
        res.write(body.subarray(0, 1000));
        res.end(body.subarray(1000));
        return;
      }
      res.writeHead(200, {
        "content-type": "application/octet-stream",
        "content-length": String(body.length),
      });
      res.end(body);
    });
    servers.push(server);
    const client = newClient();
    const repoOf = (name: string) => parseReference(`${server.host}/${name}`);
    const drain = async (stream: NodeJS.ReadableStream): Promise<void> => {
      for await (const _ of stream) {
        // read everything
      }
    };
    const codeIs = (code: string) => (error: unknown) => (error as { code?: string }).code === code;
    const bad = await client.getBlob(repoOf("corrupt"), layer.digest);
    await assert.rejects(drain(bad.stream), codeIs("DIGEST_MISMATCH"));
    await assert.rejects(
      client.getBlob(repoOf("good"), layer.digest, { expectedSize: layer.size - 1 }),
      codeIs("SIZE_MISMATCH"),
    );
    const short = await client.getBlob(repoOf("unsized"), layer.digest, { expectedSize: layer.size - 1 });
    await assert.rejects(drain(short.stream), codeIs("SIZE_MISMATCH"));
    const long = await client.getBlob(repoOf("unsized"), layer.digest, { expectedSize: layer.size + 1 });
    await assert.rejects(drain(long.stream), codeIs("SIZE_MISMATCH"));
    const good = await client.getBlob(repoOf("good"), layer.digest, { expectedSize: layer.size });
    await drain(good.stream);
  });

  test("a blob GET that redirects to another host does not carry Authorization there", async () => {
    const storage = await startScriptedServer((_req, res) => {
      res.writeHead(200, {
        "content-type": "application/octet-stream",
        "content-length": String(layer.size),
      });
      res.end(layer.bytes);
    }, "127.0.0.2");
    servers.push(storage);
    const expected = `Basic ${Buffer.from("user:pw").toString("base64")}`;
    const registry = await startScriptedServer((req, res) => {
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { "www-authenticate": 'Basic realm="scripted"' });
        res.end();
        return;
      }
      res.writeHead(307, { location: `${storage.url}/blobs/${layer.digest}?X-Amz-Signature=secret` });
      res.end();
    });
    servers.push(registry);
    const client = newClient({ credentials: basicCredentials("user", "pw") });
    const reader = await client.getBlob(parseReference(`${registry.host}/app`), layer.digest, {
      expectedSize: layer.size,
    });
    const chunks: Buffer[] = [];
    for await (const chunk of reader.stream) chunks.push(chunk as Buffer);
    assert.equal(sha256Digest(Buffer.concat(chunks)), layer.digest);
    assert.ok(
      registry.requests.some((r) => r.headers.authorization === expected),
      "the registry got credentials",
    );
    assert.equal(storage.requests.length, 1);
    assert.equal(storage.requests[0]?.headers.authorization, undefined, "the storage host got none");
  });

  test("a blob GET cut off mid-body resumes with a Range request and still verifies", async () => {
    const bytes = Buffer.from(layer.bytes);
    const server = await startScriptedServer((req, res, raw) => {
      const range = req.headers.range;
      if (range === undefined) {
        res.writeHead(200, {
          "content-type": "application/octet-stream",
          "content-length": String(bytes.length),
        });
        res.write(bytes.subarray(0, 12_345), () => setTimeout(() => raw.socket.destroy(), 20));
        return;
      }
      const start = Number(/^bytes=(\d+)-$/.exec(range)?.[1]);
      res.writeHead(206, {
        "content-type": "application/octet-stream",
        "content-length": String(bytes.length - start),
        "content-range": `bytes ${start}-${bytes.length - 1}/${bytes.length}`,
      });
      res.end(bytes.subarray(start));
    });
    servers.push(server);
    const client = newClient();
    const reader = await client.getBlob(parseReference(`${server.host}/app`), layer.digest, {
      expectedSize: layer.size,
    });
    const chunks: Buffer[] = [];
    for await (const chunk of reader.stream) chunks.push(chunk as Buffer);
    assert.equal(sha256Digest(Buffer.concat(chunks)), layer.digest);
    assert.equal(server.requests.length, 2);
    assert.equal(server.requests[1]?.headers.range, "bytes=12345-");
    assert.equal(client.stats.forHost(server.host).blobBytesRead, layer.size);
  });
});

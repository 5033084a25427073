import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, afterEach, before, describe, test } from "node:test";
import { sha256Digest } from "../../src/oci/digest.js";
import { MediaType } from "../../src/oci/media-types.js";
import { createSyntheticImage, pseudoRandomBytes } from "../../src/oci/synthetic.js";
import { rawExchange } from "../helpers/raw-http.js";
import { seedImage } from "../helpers/seed.js";
import { type ServeProcess, startServeProcess } from "../helpers/serve-process.js";
import { auditStorage, listTree } from "../helpers/storage-audit.js";

/**
 * Hostile requests against a real `crossdock serve` process, with its access log on (the
 * default). After each: the process runs and answers /v2/, nothing outside its storage
 * directory changed (a decoy tree sits around it), and the storage holds nothing wrong (every
 * blob hashes to its name, every tag is on a complete manifest).
 */
describe("crossdock serve under hostile requests", () => {
  const sentinel = "crossdock-sentinel-0f9e8d";
  const image = createSyntheticImage({ seed: "hostile", index: false });
  let root: string;
  let storage: string;
  let serve: ServeProcess;
  let port: number;
  let around: string[];

  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "crossdock-hostile-"));
    storage = path.join(root, "data", "storage");
    await mkdir(path.join(root, "data", "escape"), { recursive: true });
    await writeFile(path.join(root, "data", "sentinel"), sentinel);
    await writeFile(path.join(root, "sentinel"), sentinel);
    serve = await startServeProcess(["--storage", storage, "--addr", "127.0.0.1:0"]);
    port = Number(new URL(serve.url).port);
    await seedImage(serve.url, "base/app", image, "v1");
    around = await listTree(root, [storage]);
  });
  after(async () => {
    serve.kill("SIGTERM");
    await serve.exit;
    await rm(root, { recursive: true, force: true });
  });
  afterEach(async () => {
    assert.ok(serve.running(), `serve exited; stderr:\n${serve.stderr().slice(-2000)}`);
    const ping = await fetch(`${serve.url}/v2/`);
    await ping.arrayBuffer();
    assert.equal(ping.status, 200);
    assert.deepEqual(await listTree(root, [storage]), around, "nothing written outside the storage");
    assert.deepEqual(await auditStorage(storage), []);
  });

  const url = (target: string): string => `${serve.url}${target}`;
  const manifestHeaders = `Content-Type: ${image.root.mediaType}\r\n`;

  test("a manifest over 4 MiB, declared or chunked, gets 413 and the access log records it", async () => {
    const declared = await send("PUT", "/v2/big/manifests/t", { "content-length": String(5 << 20) }, 5 << 20);
    assert.ok(declared.status === 413 || declared.error !== undefined, JSON.stringify(declared));
    // The request that used to crash serve: the log's close handler read a socket already gone.
    const chunked = await send(
      "PUT",
      "/v2/chunked/manifests/t",
      { "content-type": MediaType.ociManifest },
      6 << 20,
    );
    assert.equal(chunked.status, 413);
    await waitFor(() => /"PUT \/v2\/chunked\/manifests\/t HTTP\/1\.1" 413 /.test(serve.stderr()));
    assert.equal((await fetch(url("/v2/chunked/manifests/t"), { method: "HEAD" })).status, 404);
  });

  test("an endless chunked body loses its connection soon after the 413", async () => {
    const result = await send("PUT", "/v2/endless/manifests/t", {}, 256 << 20);
    assert.ok(result.written < 256 << 20, `the server read all ${result.written} bytes`);
  });

  test("bodies cut off mid-upload store nothing and leave no temp file", async () => {
    const bytes = pseudoRandomBytes("cut-off", 1 << 20);
    const digest = sha256Digest(bytes);
    await rawExchange(
      port,
      [
        `POST /v2/cut/blobs/uploads/?digest=${digest} HTTP/1.1\r\nHost: x\r\nContent-Length: ${bytes.length}\r\n\r\n`,
        bytes.subarray(0, 300_000),
      ],
      { destroy: true },
    );
    const manifest = image.root.bytes;
    await rawExchange(
      port,
      [
        `PUT /v2/cut/manifests/v1 HTTP/1.1\r\nHost: x\r\n${manifestHeaders}Content-Length: ${manifest.length}\r\n\r\n`,
        manifest.subarray(0, manifest.length >> 1),
      ],
      { destroy: true },
    );
    const start = await fetch(url("/v2/cut/blobs/uploads/"), { method: "POST" });
    await start.arrayBuffer();
    const location = start.headers.get("location")!;
    await rawExchange(
      port,
      [`PATCH ${location} HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n`, bytes.subarray(0, 40_000)],
      { destroy: true },
    );
    await waitFor(async () => (await readdir(path.join(storage, "uploads"))).length === 1);
    assert.equal((await fetch(url(`/v2/cut/blobs/${digest}`), { method: "HEAD" })).status, 404);
    assert.equal((await fetch(url("/v2/cut/manifests/v1"), { method: "HEAD" })).status, 404);
    const status = await fetch(url(location));
    await status.arrayBuffer();
    assert.equal(status.status, 204, "the session whose chunk was cut off can be resumed");
    await (await fetch(url(location), { method: "DELETE" })).arrayBuffer();
    assert.deepEqual(await readdir(path.join(storage, "uploads")), []);
  });

  test("a client that goes away mid-download or right after its request line ends only its own request", async () => {
    const big = pseudoRandomBytes("download", 8 << 20);
    const digest = sha256Digest(big);
    const post = await fetch(url(`/v2/gone/blobs/uploads/?digest=${digest}`), { method: "POST", body: big });
    await post.arrayBuffer();
    assert.equal(post.status, 201);
    const socket = net.connect(port, "127.0.0.1");
    socket.on("error", () => undefined);
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write(`GET /v2/gone/blobs/${digest} HTTP/1.1\r\nHost: x\r\n\r\n`);
    let received = 0;
    await new Promise<void>((resolve) =>
      socket.on("data", (chunk: Buffer) => {
        received += chunk.length;
        if (received > 64 * 1024) {
          socket.destroy();
          resolve();
        }
      }),
    );
    const targets = [
      `GET /v2/gone/blobs/${digest}`,
      `HEAD /v2/gone/blobs/${digest}`,
      "GET /v2/base/app/manifests/v1",
      "GET /v2/base/app/tags/list",
      "GET /v2/_catalog",
      `GET /v2/base/app/referrers/${image.root.digest}`,
      "GET /token?service=crossdock",
    ];
    for (const target of targets) {
      await rawExchange(port, [`${target} HTTP/1.1\r\nHost: x\r\n\r\n`], { destroy: true });
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    await waitFor(() => /"GET \/v2\/gone\/blobs\/sha256:[0-9a-f]+ HTTP\/1\.1" 200 /.test(serve.stderr()));
    const whole = await fetch(url(`/v2/gone/blobs/${digest}`));
    assert.equal(sha256Digest(new Uint8Array(await whole.arrayBuffer())), digest, "the blob is intact");
  });

  test("path traversal in names, tags, digests, upload ids and mounts is refused with a 4xx", async () => {
    const layer = image.blobs[0]!.digest;
    const targets = [
      "PUT /v2/../../escape/manifests/t",
      "PUT /v2/base/%2e%2e/%2e%2e/%2e%2e/escape/manifests/t",
      "PUT /v2/base%2F..%2F..%2F..%2Fescape/manifests/t",
      "PUT /v2/%2Ftmp%2Fescape/manifests/t",
      "PUT /v2//data/escape/manifests/t",
      "PUT /v2/base/app/manifests/..",
      "PUT /v2/base/app/manifests/..%2F..%2F..%2F..%2Fescape",
      "PUT /v2/base/app/manifests/..%5C..%5Cescape",
      "PUT /v2/base/app/manifests/sha256:..%2F..%2F..%2Fescape",
      `PUT /v2/base/app/manifests/sha256:${"0".repeat(64)}%2F..%2F..`,
      "PUT http://elsewhere.invalid/v2/../../escape/manifests/t",
      "GET /v2/base/app/blobs/sha256:..%2F..%2F..%2F..%2Fsentinel",
      "GET /v2/base/app/manifests/..%2F..%2F..%2F..%2F..%2Fsentinel",
      "GET /v2/base/app/referrers/sha256:..%2F..%2Fsentinel",
      "GET /v2/base/app/blobs/uploads/..%2F..%2F..%2Fsentinel",
      "PUT /v2/base/app/blobs/uploads/..%2F..%2Fescape?digest=sha256:..%2F..%2Fescape",
      "POST /v2/base/app/blobs/uploads/?digest=sha256:..%2F..%2F..%2Fescape",
      `POST /v2/escape/blobs/uploads/?mount=${layer}&from=..%2F..%2Fbase%2Fapp`,
      `POST /v2/escape/blobs/uploads/?mount=${layer}&from=%2Fbase%2Fapp`,
      `POST /v2/escape/blobs/uploads/?mount=sha256:..%2F..%2Fsentinel&from=base%2Fapp`,
      "GET /v2/base/app/tags/list?last=..%2F..%2F..&n=1",
    ];
    const repositoriesBefore = await listTree(path.join(storage, "repositories"));
    for (const target of targets) {
      const result = await rawExchange(port, [
        `${target} HTTP/1.1\r\nHost: x\r\n${manifestHeaders}Content-Length: ${image.root.size}\r\nConnection: close\r\n\r\n`,
        image.root.bytes,
      ]);
      // A mount from a name that is not one is declined the spec's way: a plain upload session (202).
      const expected = target.includes("tags/list") ? [200] : target.includes("mount=") ? [202, 400] : [];
      const status = result.status ?? 500;
      assert.ok(expected.includes(status) || (status >= 400 && status < 500), `${target} answered ${status}`);
      assert.ok(!result.response.includes(sentinel), `${target} read a file outside the storage`);
      const session = /^location: (\/v2\/\S+)/im.exec(result.response)?.[1];
      if (status === 202 && session !== undefined)
        await (await fetch(url(session), { method: "DELETE" })).arrayBuffer();
    }
    assert.deepEqual(await readdir(path.join(storage, "uploads")), []);
    assert.deepEqual(
      await listTree(path.join(storage, "repositories")),
      repositoriesBefore,
      "no repository made",
    );
  });

  test("a blob whose bytes do not match its digest, size or Content-Range is refused and stores nothing", async () => {
    const bytes = pseudoRandomBytes("wrong", 50_000);
    const other = sha256Digest(pseudoRandomBytes("other", 50_000));
    const wrongDigest = await fetch(url(`/v2/wrong/blobs/uploads/?digest=${other}`), {
      method: "POST",
      body: bytes,
    });
    assert.equal(wrongDigest.status, 400);
    assert.equal(
      ((await wrongDigest.json()) as { errors: { code: string }[] }).errors[0]?.code,
      "DIGEST_INVALID",
    );
    assert.equal((await fetch(url(`/v2/wrong/blobs/${other}`), { method: "HEAD" })).status, 404);
    const start = await fetch(url("/v2/wrong/blobs/uploads/"), { method: "POST" });
    await start.arrayBuffer();
    const location = url(start.headers.get("location")!);
    const gap = await fetch(location, {
      method: "PATCH",
      headers: { "content-range": "10-109", "content-length": "100" },
      body: bytes.subarray(0, 100),
    });
    await gap.arrayBuffer();
    assert.equal(gap.status, 416);
    const lying = await rawExchange(port, [
      `PATCH ${start.headers.get("location")} HTTP/1.1\r\nHost: x\r\nContent-Range: 0-99\r\nContent-Length: 50\r\nConnection: close\r\n\r\n`,
      bytes.subarray(0, 50),
    ]);
    assert.equal(lying.status, 416);
    // Shorter than its Content-Length, then EOF: the upload fails, nothing is stored.
    const digest = sha256Digest(bytes);
    const short = await rawExchange(
      port,
      [
        `POST /v2/wrong/blobs/uploads/?digest=${digest} HTTP/1.1\r\nHost: x\r\nContent-Length: ${bytes.length}\r\n\r\n`,
        bytes.subarray(0, 1000),
      ],
      { end: true },
    );
    assert.notEqual(short.status, 201);
    assert.equal((await fetch(url(`/v2/wrong/blobs/${digest}`), { method: "HEAD" })).status, 404);
    // Longer than its Content-Length: only the declared bytes are the body, the rest a bad request.
    const ten = bytes.subarray(0, 10);
    const long = await rawExchange(port, [
      `POST /v2/wrong/blobs/uploads/?digest=${sha256Digest(ten)} HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n`,
      bytes.subarray(0, 5000),
    ]);
    // Node answers the trailing garbage with 400 and closes, maybe before the upload's 201 is out.
    assert.ok(long.status === 201 || long.status === 400, `answered ${long.status}`);
    const stored = await fetch(url(`/v2/wrong/blobs/${sha256Digest(ten)}`));
    const storedBytes = new Uint8Array(await stored.arrayBuffer());
    if (stored.status === 200) assert.deepEqual(storedBytes, new Uint8Array(ten));
    else assert.equal(stored.status, 404);
    // A manifest naming a stored blob with the wrong size would break every pull of it.
    const config = image.blobs[0]!;
    await (
      await fetch(url(`/v2/wrong/blobs/uploads/?digest=${config.digest}`), {
        method: "POST",
        body: config.bytes,
      })
    ).arrayBuffer();
    const lie = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.ociManifest,
        config: { mediaType: MediaType.ociConfig, digest: config.digest, size: config.size + 1 },
        layers: [],
      }),
    );
    const put = await fetch(url("/v2/wrong/manifests/v1"), {
      method: "PUT",
      headers: { "content-type": MediaType.ociManifest },
      body: lie,
    });
    assert.equal(put.status, 400);
    assert.equal(((await put.json()) as { errors: { code: string }[] }).errors[0]?.code, "MANIFEST_INVALID");
  });

  test("malformed manifests, headers and ranges get a 4xx, never a 5xx", async () => {
    const bodies = [
      "{not json",
      "null",
      "[]",
      '"a string"',
      "[".repeat(200_000),
      '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":"x"}',
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.ociManifest,
        config: { mediaType: MediaType.ociConfig, digest: "sha256:../../../sentinel", size: 1 },
        layers: [],
      }),
      JSON.stringify({ schemaVersion: 1, name: "x", tag: "y", fsLayers: [] }),
    ];
    for (const body of bodies) {
      const put = await fetch(url("/v2/junk/manifests/v1"), {
        method: "PUT",
        headers: { "content-type": MediaType.ociManifest },
        body,
      });
      await put.arrayBuffer();
      assert.equal(put.status, 400, body.slice(0, 40));
    }
    assert.equal((await fetch(url("/v2/junk/manifests/v1"), { method: "HEAD" })).status, 404);
    const requests = [
      "PUT /v2/junk/manifests/v1 HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
      "PUT /v2/junk/manifests/v1 HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
      "PUT /v2/junk/manifests/v1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
      "PUT /v2/junk/manifests/v1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      `GET /v2/ HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`,
      "GET /v2/ HTTP/1.1\r\nHost: x\r\nBad Header: x\r\n\r\n",
      "HELLO\r\n\r\n",
      "GET /v2/\0 HTTP/1.1\r\nHost: x\r\n\r\n",
      "PUT /v2/junk/manifests/v1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
      `GET /v2/base/app/blobs/${image.blobs[0]!.digest} HTTP/1.1\r\nHost: x\r\nRange: bytes=99999999999999999999999-\r\nConnection: close\r\n\r\n`,
      `GET /v2/base/app/blobs/${image.blobs[0]!.digest} HTTP/1.1\r\nHost: x\r\nRange: bytes=9-2\r\nConnection: close\r\n\r\n`,
      "POST /token HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\n%%%",
      "GET /v2/_catalog?n=-1&last=%ff%fe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      "GET /v2/base/app/tags/list?n=99999999999999999999 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      "DELETE /v2/base/app/blobs/uploads/not-a-session HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    ];
    for (const request of requests) {
      const result = await rawExchange(port, [request], { waitMs: 2000 });
      const status = result.status;
      assert.ok(
        status === undefined || status < 500,
        `${JSON.stringify(request.slice(0, 60))} answered ${status}`,
      );
      if (request.includes("Range: bytes=9"))
        assert.ok(status === 200 || status === 206 || status === 416, `range answered ${status}`);
    }
  });

  test("concurrent pushes to one tag: every push answers, and the tag ends on one complete image", async () => {
    const images = Array.from({ length: 12 }, (_, i) =>
      createSyntheticImage({ seed: `race-${i}`, index: false }),
    );
    for (const each of images) await seedImage(serve.url, "race/app", { ...each, manifests: [] }, undefined);
    const results = await Promise.all(
      images.map(async (each) => {
        const put = await fetch(url("/v2/race/app/manifests/latest"), {
          method: "PUT",
          headers: { "content-type": each.root.mediaType },
          body: each.root.bytes,
        });
        await put.arrayBuffer();
        return put.status;
      }),
    );
    assert.deepEqual(
      results,
      images.map(() => 201),
    );
    const head = await fetch(url("/v2/race/app/manifests/latest"), { method: "HEAD" });
    const digest = head.headers.get("docker-content-digest");
    assert.ok(
      images.some((each) => each.root.digest === digest),
      `latest -> ${digest}`,
    );
  });

  test("connections beyond the limit are closed at once; the registry answers when they go", async () => {
    const sockets = await Promise.all(
      Array.from({ length: 300 }, async () => {
        const socket = net.connect(port, "127.0.0.1");
        socket.on("error", () => undefined);
        let closed = false;
        socket.once("close", () => {
          closed = true;
        });
        await new Promise((resolve) => socket.once("connect", resolve).once("close", resolve));
        return { socket, closed: () => closed };
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const open = sockets.filter((s) => !s.closed()).length;
    for (const s of sockets) s.socket.destroy();
    assert.ok(open <= 256, `${open} connections held at once`);
    assert.ok(open >= 200, `only ${open} connections accepted`);
    // The server counts a connection until it has seen it close, which takes a moment under load.
    await waitFor(async () => {
      const ping = await fetch(url("/v2/")).catch(() => undefined);
      await ping?.arrayBuffer();
      return ping?.status === 200;
    });
  });

  test("slowloris: connections that dribble their headers are cut after the header timeout", async () => {
    const started = Date.now();
    const lifetimes = Array.from({ length: 20 }, async () => {
      const socket = net.connect(port, "127.0.0.1");
      socket.on("error", () => undefined);
      await new Promise((resolve) => socket.once("connect", resolve));
      socket.write("GET /v2/ HTTP/1.1\r\nHost: x\r\n");
      const timer = setInterval(() => socket.write("X-Slow: y\r\n"), 500);
      await new Promise((resolve) => socket.once("close", resolve));
      clearInterval(timer);
      return Date.now() - started;
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const meanwhile = await fetch(url("/v2/"));
    await meanwhile.arrayBuffer();
    assert.equal(meanwhile.status, 200, "others are served while they dribble");
    let timer: NodeJS.Timeout | undefined;
    const times = await Promise.race([
      Promise.all(lifetimes),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("still open after 20 s")), 20_000);
      }),
    ]).finally(() => clearTimeout(timer));
    assert.ok(Math.max(...times) < 15_000, `held for ${Math.max(...times)} ms`);
  });

  /** A request through node:http with `total` bytes of body (chunked unless content-length is given). */
  async function send(
    method: string,
    target: string,
    headers: Record<string, string>,
    total: number,
  ): Promise<{ status?: number; error?: string; written: number }> {
    return await new Promise((resolve) => {
      let written = 0;
      let status: number | undefined;
      const req = http.request({ host: "127.0.0.1", port, method, path: target, headers });
      const done = (error?: string): void =>
        resolve({
          ...(status !== undefined ? { status } : {}),
          ...(error !== undefined ? { error } : {}),
          written,
        });
      req.on("response", (res) => {
        status = res.statusCode;
        res.resume();
        res.on("end", () => done());
        res.on("error", () => done());
      });
      req.on("error", (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = (): void => {
        while (written < total && !req.destroyed) {
          written += chunk.length;
          if (!req.write(chunk)) {
            req.once("drain", pump);
            return;
          }
        }
        if (!req.destroyed) req.end();
      };
      pump();
    });
  }
});

async function waitFor(condition: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

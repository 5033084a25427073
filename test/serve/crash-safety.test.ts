import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { sha256Digest } from "../../src/oci/digest.js";
import { pseudoRandomBytes } from "../../src/oci/synthetic.js";
import { ServeError } from "../../src/serve/errors.js";
import { startRegistryServer } from "../../src/serve/server.js";
import { RegistryStorage } from "../../src/serve/storage.js";
import { UploadSessions } from "../../src/serve/upload-sessions.js";

test("temp files a crash left in uploads/ are removed at start and never served", async () => {
  const storage = await mkdtemp(path.join(os.tmpdir(), "crossdock-serve-crash-"));
  const bytes = pseudoRandomBytes("half-written", 4096);
  const digest = sha256Digest(bytes);
  await mkdir(path.join(storage, "uploads"), { recursive: true });
  await writeFile(path.join(storage, "uploads", "0b7cf4f4-1f9e-4d1a-a3c2-2d3b0d2f8a11"), bytes);
  await writeFile(path.join(storage, "uploads", digest.slice(7)), bytes);
  const registry = await startRegistryServer({ storage });
  try {
    assert.deepEqual(await readdir(path.join(storage, "uploads")), []);
    const head = await fetch(`${registry.url}/v2/any/blobs/${digest}`, { method: "HEAD" });
    assert.equal(head.status, 404);
    const status = await fetch(`${registry.url}/v2/any/blobs/uploads/0b7cf4f4-1f9e-4d1a-a3c2-2d3b0d2f8a11`);
    assert.equal(status.status, 404);
    await status.arrayBuffer();
  } finally {
    await registry.close();
    await rm(storage, { recursive: true, force: true });
  }
});

test("a blob file appears only once its digest is checked; closing discards open uploads; content survives a restart", async () => {
  const storage = await mkdtemp(path.join(os.tmpdir(), "crossdock-serve-crash-"));
  const bytes = pseudoRandomBytes("in-flight", 10_000);
  const digest = sha256Digest(bytes);
  const blobFile = path.join(storage, "blobs", "sha256", digest.slice(7));
  let registry = await startRegistryServer({ storage });
  try {
    const start = await fetch(`${registry.url}/v2/keep/blobs/uploads/`, { method: "POST" });
    await start.arrayBuffer();
    const location = new URL(start.headers.get("location")!, registry.url);
    const patch = await fetch(location, { method: "PATCH", body: bytes });
    await patch.arrayBuffer();
    assert.equal(patch.status, 202);
    await assert.rejects(
      readdir(path.dirname(blobFile)).then((files) => assert.ok(files.includes(digest.slice(7)))),
    );
    location.searchParams.set("digest", digest);
    const put = await fetch(location, { method: "PUT" });
    await put.arrayBuffer();
    assert.equal(put.status, 201);
    assert.ok((await readdir(path.dirname(blobFile))).includes(digest.slice(7)));
    const open = await fetch(`${registry.url}/v2/keep/blobs/uploads/`, { method: "POST" });
    await open.arrayBuffer();
    await (
      await fetch(new URL(open.headers.get("location")!, registry.url), { method: "PATCH", body: "partial" })
    ).arrayBuffer();
    assert.equal((await readdir(path.join(storage, "uploads"))).length, 1);
    await registry.close();
    assert.deepEqual(await readdir(path.join(storage, "uploads")), [], "close discards open uploads");
    registry = await startRegistryServer({ storage });
    const again = await fetch(`${registry.url}/v2/keep/blobs/${digest}`);
    assert.equal(again.status, 200);
    assert.equal(sha256Digest(new Uint8Array(await again.arrayBuffer())), digest);
  } finally {
    await registry.close();
    await rm(storage, { recursive: true, force: true });
  }
});

test("close() resolves and the signal closes the server too", async () => {
  const storage = await mkdtemp(path.join(os.tmpdir(), "crossdock-serve-crash-"));
  const controller = new AbortController();
  const registry = await startRegistryServer({ storage, signal: controller.signal });
  try {
    assert.equal((await fetch(`${registry.url}/v2/`)).status, 200);
    controller.abort();
    await registry.close();
    await assert.rejects(fetch(`${registry.url}/v2/`));
  } finally {
    await registry.close();
    await rm(storage, { recursive: true, force: true });
  }
});

test("an abandoned upload session is discarded, with its temp file, when a new one starts", async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), "crossdock-serve-crash-"));
  try {
    const storage = await RegistryStorage.open(root);
    const sessions = new UploadSessions(storage, 1);
    const old = await sessions.create("repo");
    await new Promise((resolve) => setTimeout(resolve, 10));
    const fresh = await sessions.create("repo");
    assert.throws(() => sessions.get("repo", old.id), ServeError);
    assert.equal(sessions.get("repo", fresh.id), fresh);
    assert.deepEqual(await readdir(path.join(root, "uploads")), [fresh.id]);
    await sessions.close();
    assert.deepEqual(await readdir(path.join(root, "uploads")), []);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { after, before, test } from "node:test";
import { sha256Digest } from "../../src/oci/digest.js";
import { pseudoRandomBytes } from "../../src/oci/synthetic.js";
import type { DistributionRegistry } from "../helpers/distribution.js";
import { rawExchange } from "../helpers/raw-http.js";
import { startServeRegistry } from "../helpers/serve.js";

let registry: DistributionRegistry;
before(async () => {
  registry = await startServeRegistry();
});
after(async () => {
  await registry.stop();
});

async function startSession(repo: string): Promise<URL> {
  const response = await fetch(`${registry.url}/v2/${repo}/blobs/uploads/`, { method: "POST" });
  await response.arrayBuffer();
  assert.equal(response.status, 202);
  assert.ok(response.headers.get("docker-upload-uuid"));
  return new URL(response.headers.get("location")!, registry.url);
}

async function patch(location: URL, bytes: Uint8Array, start: number): Promise<Response> {
  const response = await fetch(location, {
    method: "PATCH",
    headers: {
      "content-type": "application/octet-stream",
      "content-range": `${start}-${start + bytes.length - 1}`,
    },
    body: bytes,
  });
  await response.arrayBuffer();
  return response;
}

async function blobFiles(): Promise<string[]> {
  return await readdir(path.join(registry.storage, "blobs", "sha256")).catch(() => []);
}

test("a chunked upload takes chunks in order, refuses one out of order with 416, and resumes", async () => {
  const bytes = pseudoRandomBytes("chunks", 3000);
  const digest = sha256Digest(bytes);
  const location = await startSession("chunky");
  const first = await patch(location, bytes.subarray(0, 1000), 0);
  assert.equal(first.status, 202);
  assert.equal(first.headers.get("range"), "0-999");
  const skipped = await patch(location, bytes.subarray(2000), 2000);
  assert.equal(skipped.status, 416);
  assert.equal(skipped.headers.get("range"), "0-999");
  const status = await fetch(location);
  assert.equal(status.status, 204);
  assert.equal(status.headers.get("range"), "0-999");
  const next = new URL(status.headers.get("location")!, registry.url);
  assert.equal((await patch(next, bytes.subarray(1000, 2000), 1000)).status, 202);
  assert.equal(
    await blobFiles().then((files) => files.includes(digest.slice(7))),
    false,
    "not stored before the PUT",
  );
  next.searchParams.set("digest", digest);
  const put = await fetch(next, {
    method: "PUT",
    headers: { "content-range": "2000-2999", "content-type": "application/octet-stream" },
    body: bytes.subarray(2000),
  });
  await put.arrayBuffer();
  assert.equal(put.status, 201);
  assert.equal(put.headers.get("docker-content-digest"), digest);
  const get = await fetch(`${registry.url}/v2/chunky/blobs/${digest}`);
  assert.deepEqual(new Uint8Array(await get.arrayBuffer()), new Uint8Array(bytes));
  const gone = await fetch(location);
  assert.equal(gone.status, 404);
  assert.equal(
    ((await gone.json()) as { errors: { code: string }[] }).errors[0]?.code,
    "BLOB_UPLOAD_UNKNOWN",
  );
});

test("a PATCH cut off mid-body leaves an upload that resumes from its offset and closes with the right digest", async () => {
  // The server hashes as it writes; after a broken append the file is what counts, so it hashes that.
  const bytes = pseudoRandomBytes("cut off", 200_000);
  const digest = sha256Digest(bytes);
  const location = await startSession("cut");
  const head = `PATCH ${location.pathname}${location.search} HTTP/1.1\r\nhost: ${location.host}\r\ncontent-type: application/octet-stream\r\ncontent-length: ${bytes.length}\r\n\r\n`;
  try {
    // A body shorter than its Content-Length, then EOF: every byte sent arrives before the cut.
    await rawExchange(Number(location.port), [head, bytes.subarray(0, 120_000)], { end: true, waitMs: 5000 });
    // The server notices the cut when the socket closes: wait until the offset stops moving.
    let offset = -1;
    for (let previous = -2, tries = 0; offset !== previous && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      previous = offset;
      const status = await fetch(location);
      await status.arrayBuffer();
      assert.equal(status.status, 204);
      // distribution's convention, kept by serve: "0-0" for an empty upload, else the last byte's offset.
      const last = /^0-(\d+)$/.exec(status.headers.get("range") ?? "")?.[1];
      offset = last === undefined || last === "0" ? 0 : Number(last) + 1;
    }
    assert.ok(offset >= 0 && offset <= 120_000, `offset ${offset}`);
    const close = new URL(location);
    close.searchParams.set("digest", digest);
    const put = await fetch(close, {
      method: "PUT",
      headers: {
        "content-range": `${offset}-${bytes.length - 1}`,
        "content-type": "application/octet-stream",
      },
      body: bytes.subarray(offset),
    });
    await put.arrayBuffer();
    assert.equal(put.status, 201);
    const get = await fetch(`${registry.url}/v2/cut/blobs/${digest}`);
    assert.deepEqual(new Uint8Array(await get.arrayBuffer()), new Uint8Array(bytes));
  } finally {
    // A failed step must not leave its temp file to the tests that count files in uploads/.
    await fetch(location, { method: "DELETE" }).then((response) => response.arrayBuffer());
  }
});

test("a PUT whose digest does not match the bytes stores nothing and answers DIGEST_INVALID", async () => {
  const bytes = pseudoRandomBytes("mismatch", 500);
  const claimed = sha256Digest(Buffer.from("something else"));
  const location = await startSession("wrong");
  location.searchParams.set("digest", claimed);
  const put = await fetch(location, {
    method: "PUT",
    body: bytes,
    headers: { "content-type": "application/octet-stream" },
  });
  assert.equal(put.status, 400);
  assert.equal(((await put.json()) as { errors: { code: string }[] }).errors[0]?.code, "DIGEST_INVALID");
  const files = await blobFiles();
  assert.ok(!files.includes(claimed.slice(7)) && !files.includes(sha256Digest(bytes).slice(7)));
  assert.deepEqual(await readdir(path.join(registry.storage, "uploads")), []);
  const head = await fetch(`${registry.url}/v2/wrong/blobs/${claimed}`, { method: "HEAD" });
  assert.equal(head.status, 404);
});

test("a monolithic POST with ?digest= stores the blob in one request; HEAD and Range GET read it", async () => {
  const bytes = pseudoRandomBytes("monolithic", 1000);
  const digest = sha256Digest(bytes);
  const post = await fetch(`${registry.url}/v2/mono/blobs/uploads/?digest=${digest}`, {
    method: "POST",
    headers: { "content-type": "application/octet-stream" },
    body: bytes,
  });
  await post.arrayBuffer();
  assert.equal(post.status, 201);
  assert.equal(post.headers.get("location"), `/v2/mono/blobs/${digest}`);
  const head = await fetch(`${registry.url}/v2/mono/blobs/${digest}`, { method: "HEAD" });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get("content-length"), "1000");
  assert.equal(head.headers.get("docker-content-digest"), digest);
  const ranged = await fetch(`${registry.url}/v2/mono/blobs/${digest}`, {
    headers: { range: "bytes=10-19" },
  });
  assert.equal(ranged.status, 206);
  assert.equal(ranged.headers.get("content-range"), "bytes 10-19/1000");
  assert.deepEqual(new Uint8Array(await ranged.arrayBuffer()), new Uint8Array(bytes.subarray(10, 20)));
  const other = await fetch(`${registry.url}/v2/elsewhere/blobs/${digest}`, { method: "HEAD" });
  assert.equal(other.status, 404, "a blob is served only from the repositories it was pushed or mounted to");
});

test("a mount from a repository that has the blob answers 201; from one that lacks it, a session (202)", async () => {
  const bytes = pseudoRandomBytes("mount", 700);
  const digest = sha256Digest(bytes);
  const post = await fetch(`${registry.url}/v2/src/blobs/uploads/?digest=${digest}`, {
    method: "POST",
    body: bytes,
  });
  await post.arrayBuffer();
  assert.equal(post.status, 201);
  const mounted = await fetch(`${registry.url}/v2/dst/blobs/uploads/?mount=${digest}&from=src`, {
    method: "POST",
  });
  await mounted.arrayBuffer();
  assert.equal(mounted.status, 201);
  assert.equal(mounted.headers.get("docker-content-digest"), digest);
  assert.equal((await fetch(`${registry.url}/v2/dst/blobs/${digest}`, { method: "HEAD" })).status, 200);
  const missing = await fetch(`${registry.url}/v2/dst2/blobs/uploads/?mount=${digest}&from=nowhere`, {
    method: "POST",
  });
  await missing.arrayBuffer();
  assert.equal(missing.status, 202);
  const location = new URL(missing.headers.get("location")!, registry.url);
  const cancel = await fetch(location, { method: "DELETE" });
  assert.equal(cancel.status, 204);
  assert.equal((await fetch(location)).status, 404);
});

test("deleting a blob unlinks it from the repository", async () => {
  const bytes = pseudoRandomBytes("delete-me", 100);
  const digest = sha256Digest(bytes);
  await (
    await fetch(`${registry.url}/v2/del/blobs/uploads/?digest=${digest}`, { method: "POST", body: bytes })
  ).arrayBuffer();
  const deleted = await fetch(`${registry.url}/v2/del/blobs/${digest}`, { method: "DELETE" });
  assert.equal(deleted.status, 202);
  assert.equal((await fetch(`${registry.url}/v2/del/blobs/${digest}`, { method: "HEAD" })).status, 404);
});

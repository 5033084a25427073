import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { Readable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { copyImage } from "../../src/copy/copy-image.js";
import { CopySession } from "../../src/copy/session.js";
import { createSyntheticImage, type SyntheticImage } from "../../src/oci/synthetic.js";
import { parseReference } from "../../src/reference/reference.js";
import { RegistryClient } from "../../src/registry/client.js";
import { RegistryRepository } from "../../src/store/registry-repository.js";
import type { DistributionRegistry } from "../helpers/distribution.js";
import { cliPath } from "../helpers/paths.js";
import { registryKinds } from "../helpers/registries.js";
import { type ScriptedServer, startScriptedServer } from "../helpers/scripted-server.js";
import { seedImage } from "../helpers/seed.js";
import { digestOf, skopeoRaw } from "../helpers/skopeo.js";

for (const kind of registryKinds)
  describe(`copy safety (${kind.name})`, {
    skip: kind.skip,
  }, () => {
    let target: DistributionRegistry;
    before(async () => {
      target = await kind.start();
    });
    after(async () => {
      await target?.stop();
    });

    test("a corrupted source blob is detected while it streams and nothing is committed", async () => {
      const image = createSyntheticImage({ seed: "corrupt", index: false, layerSizes: [64 * 1024] });
      const layer = image.blobs.find((b) => b.mediaType.includes("layer"))!;
      // Same size, wrong content.
      const source = await serveImage(image, (blob) => {
        const bytes = Buffer.from(blob.bytes);
        if (blob === layer) bytes[bytes.length - 10] = (bytes[bytes.length - 10]! + 1) % 256;
        return bytes;
      });
      const client = new RegistryClient();
      try {
        const from = new RegistryRepository(client, parseReference(`${source.host}/bad/app`));
        const to = new RegistryRepository(client, parseReference(`${target.host}/bad/app`));
        await assert.rejects(
          copyImage(from, to, "v1", { session: new CopySession(), referrers: false }),
          (error: Error) => {
            assert.match(`${(error as { code?: string }).code} ${error.message}`, /DIGEST_MISMATCH|digest/i);
            return true;
          },
        );
        assert.equal(await to.headBlob(layer.digest), undefined, "the corrupted blob is not in the target");
        assert.equal(await to.headManifest("v1"), undefined, "no tag on an incomplete image");
      } finally {
        await client.close();
        await source.stop();
      }
    });

    test("a blob the source cannot serve fails the copy and cancels the upload the target opened", async () => {
      const image = createSyntheticImage({ seed: "missing-blob", index: false, layerSizes: [4096] });
      const layer = image.blobs.find((b) => b.mediaType.includes("layer"))!;
      const source = await serveImage(image, (blob) => (blob === layer ? undefined : blob.bytes));
      const client = new RegistryClient();
      try {
        const from = new RegistryRepository(client, parseReference(`${source.host}/gone/app`));
        const to = new RegistryRepository(client, parseReference(`${target.host}/gone/app`));
        target.clearAccessLog();
        await assert.rejects(
          copyImage(from, to, "v1", { session: new CopySession(), referrers: false }),
          (error: Error) => {
            assert.equal((error as { code?: string }).code, "BLOB_UNKNOWN", error.message);
            return true;
          },
        );
        await new Promise((resolve) => setTimeout(resolve, 200));
        const log = target.accessLog();
        const opened = log.filter((e) => e.method === "POST" && e.path.includes("/blobs/uploads/")).length;
        const cancelled = log.filter(
          (e) => e.method === "DELETE" && e.path.includes("/blobs/uploads/"),
        ).length;
        assert.ok(opened >= 1, "the upload was opened while the source was asked");
        assert.ok(cancelled >= 1, "and cancelled when the source failed");
        assert.equal(await to.headBlob(layer.digest), undefined);
        assert.equal(await to.headManifest("v1"), undefined, "no tag on an incomplete image");
      } finally {
        await client.close();
        await source.stop();
      }
    });

    test("a copy killed partway leaves no tag on an incomplete image, and a rerun finishes it", async () => {
      const upstream = await kind.start();
      // A slow path to the source, so the kill lands in the middle of the blobs.
      const slow = await startSlowProxy(upstream.url);
      try {
        const image = createSyntheticImage({ seed: "killed", layerSizes: [1_500_000, 1_500_000, 1_500_000] });
        await seedImage(upstream.url, "proj/big", image, "v2");
        target.clearAccessLog();
        const first = runCli(["copy", "--quiet", `${slow.host}/proj/big:v2`, `${target.host}/proj/big:v2`]);
        await waitFor(
          () =>
            target
              .accessLog()
              .some((e) => e.method === "PUT" && e.path.includes("/blobs/uploads/") && e.status === 201),
          20_000,
        );
        first.kill("SIGKILL");
        await new Promise((resolve) => first.once("exit", resolve));
        const tagged = await fetch(`${target.url}/v2/proj/big/manifests/v2`, { method: "HEAD" });
        assert.equal(tagged.status, 404, "the tag is written last");

        const second = runCli(["copy", "--quiet", `${slow.host}/proj/big:v2`, `${target.host}/proj/big:v2`]);
        const code = await new Promise((resolve) => second.once("exit", resolve));
        assert.equal(code, 0);
        assert.equal(digestOf(await skopeoRaw(`${target.host}/proj/big:v2`)), image.root.digest);
      } finally {
        await slow.stop();
        await upstream.stop();
      }
    });
  });

function runCli(args: string[]): ChildProcess {
  return spawn(process.execPath, [cliPath, ...args], { stdio: ["ignore", "ignore", "inherit"] });
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Forwards to a real registry, sending blob bodies slowly (64 KiB every 25 ms). */
async function startSlowProxy(upstream: string): Promise<ScriptedServer> {
  return await startScriptedServer(async (req, res) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (typeof v === "string" && k !== "host") headers[k] = v;
    const answer = await fetch(`${upstream}${req.url}`, {
      method: req.method ?? "GET",
      headers,
      ...(req.body.length > 0 ? { body: req.body } : {}),
      redirect: "manual",
    });
    const out: Record<string, string> = {};
    answer.headers.forEach((v, k) => {
      if (k !== "content-encoding" && k !== "transfer-encoding") out[k] = v;
    });
    res.writeHead(answer.status, out);
    if (!answer.body || req.method === "HEAD") return void res.end();
    const slowBlob = req.method === "GET" && (req.url ?? "").includes("/blobs/");
    for await (const chunk of Readable.fromWeb(answer.body as never)) {
      const buffer = chunk as Buffer;
      for (let i = 0; i < buffer.length; i += 65536) {
        if (!res.write(buffer.subarray(i, i + 65536))) await new Promise((r) => res.once("drain", r));
        if (slowBlob) await new Promise((r) => setTimeout(r, 25));
      }
    }
    res.end();
  });
}

/**
 * A scripted source that serves one image under the tag v1 in any repository: its manifest, and
 * each blob as `bytesOf` says (undefined: 404 BLOB_UNKNOWN).
 */
function serveImage(
  image: SyntheticImage,
  bytesOf: (blob: SyntheticImage["blobs"][number]) => Uint8Array | undefined,
): Promise<ScriptedServer> {
  return startScriptedServer((req, res) => {
    const url = req.url ?? "";
    if (url === "/v2/") return void res.writeHead(200).end("{}");
    if (url.endsWith("/manifests/v1") || url.endsWith(`/manifests/${image.root.digest}`)) {
      res.writeHead(200, {
        "content-type": image.root.mediaType,
        "docker-content-digest": image.root.digest,
        "content-length": image.root.size,
      });
      return void res.end(req.method === "HEAD" ? undefined : image.root.bytes);
    }
    const blob = image.blobs.find((b) => url.endsWith(`/blobs/${b.digest}`));
    const bytes = blob && bytesOf(blob);
    if (bytes) {
      res.writeHead(200, { "content-length": bytes.length, "content-type": "application/octet-stream" });
      return void res.end(req.method === "HEAD" ? undefined : bytes);
    }
    res
      .writeHead(404, { "content-type": "application/json" })
      .end(
        `{"errors":[{"code":"${blob ? "BLOB_UNKNOWN" : "NAME_UNKNOWN"}","message":"unknown to registry"}]}`,
      );
  });
}

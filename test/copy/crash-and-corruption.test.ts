import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { copyImage } from "../../src/copy/copy-image.js";
import { CopySession } from "../../src/copy/session.js";
import { createSyntheticImage, type SyntheticImage } from "../../src/oci/synthetic.js";
import { tagReference } from "../../src/reference/manifest-reference.js";
import { parseReference } from "../../src/reference/reference.js";
import { RegistryClient } from "../../src/registry/client.js";
import { openOciLayout } from "../../src/store/oci-layout.js";
import { RegistryRepository } from "../../src/store/registry-repository.js";
import type { Repository } from "../../src/store/types.js";
import type { DistributionRegistry } from "../helpers/distribution.js";
import { cliPath } from "../helpers/paths.js";
import { registryKinds } from "../helpers/registries.js";
import { type ScriptedServer, startScriptedServer } from "../helpers/scripted-server.js";
import { seedImage } from "../helpers/seed.js";
import { startServeRegistry } from "../helpers/serve.js";
import { digestOf, skopeoRaw } from "../helpers/skopeo.js";
import { hasTool } from "../helpers/tools.js";
import { assertHoldsImage } from "../store/layout-fixtures.js";

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
        assert.equal(await to.headManifest(tagReference("v1")), undefined, "no tag on an incomplete image");
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
        assert.equal(await to.headManifest(tagReference("v1")), undefined, "no tag on an incomplete image");
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

/**
 * kill -9 trials: a sync into a registry (each kind) and into `oci:` is killed at seeded moments
 * spread over a measured uninterrupted run. After each kill every tag on the target names a
 * complete image, byte for byte the source's; the rerun finishes byte-exact (skopeo checks where
 * installed) and leaves no temporary file. CROSSDOCK_CRASH_TRIALS sets the trials per target.
 */
const trialsPerTarget = Number(process.env["CROSSDOCK_CRASH_TRIALS"] ?? 6);
const trialRepos = ["alpha", "beta", "gamma"];
const trialTags = ["v1", "v2"];
const trialImages = new Map(
  trialRepos.flatMap((repo) =>
    trialTags.map((tag) => [
      `${repo}:${tag}`,
      createSyntheticImage({ seed: `crash-${repo}-${tag}`, layerSizes: [200_000, 60_000, 5_000] }),
    ]),
  ),
);

interface TrialTarget {
  readonly name: string;
  readonly skip: string | false;
  /** Starts the target; `to(trial)` is the sync's --to, `open(trial, repo)` a Repository on it. */
  readonly start: () => Promise<{
    to: (trial: number) => string;
    open: (trial: number, repo: string) => Promise<Repository>;
    /** Names of temporary files left under the trial's target (none for a registry: it is the server's). */
    leftovers: (trial: number) => Promise<string[]>;
    /** The raw manifest bytes of a tag as skopeo (or, without it, an independent reader) sees them. */
    raw: (trial: number, repo: string, tag: string) => Promise<Uint8Array>;
    stop: () => Promise<void>;
  }>;
}

const trialTargets: TrialTarget[] = [
  ...registryKinds.map(
    (kind): TrialTarget => ({
      name: kind.name,
      skip: kind.skip,
      start: async () => {
        const registry = await kind.start();
        const client = new RegistryClient();
        return {
          to: (trial) => `${registry.host}/trial${trial}`,
          open: async (trial, repo) =>
            new RegistryRepository(client, parseReference(`${registry.host}/trial${trial}/${repo}`)),
          leftovers: async () => [],
          raw: async (trial, repo, tag) => await skopeoRaw(`${registry.host}/trial${trial}/${repo}:${tag}`),
          stop: async () => {
            await client.close();
            await registry.stop();
          },
        };
      },
    }),
  ),
  {
    name: "oci: layouts",
    skip: false,
    start: async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), "crossdock-crash-oci-"));
      const layout = (trial: number, repo: string): string => path.join(dir, `trial${trial}`, repo);
      return {
        to: (trial) => `oci:${path.join(dir, `trial${trial}`)}`,
        open: async (trial, repo) => await openOciLayout(layout(trial, repo), { create: false }),
        leftovers: async (trial) =>
          (await readdir(path.join(dir, `trial${trial}`), { recursive: true })).filter((name) =>
            path.basename(name).startsWith(".crossdock-"),
          ),
        raw: async (trial, repo, tag) =>
          hasTool("skopeo") || process.env["CI"] === "true"
            ? (
                await promisify(execFile)(
                  "skopeo",
                  ["inspect", "--raw", `oci:${layout(trial, repo)}:${tag}`],
                  {
                    encoding: "buffer",
                  },
                )
              ).stdout
            : (
                await (
                  await openOciLayout(layout(trial, repo), { create: false })
                ).getManifest(tagReference(tag))
              ).bytes,
        stop: async () => await rm(dir, { recursive: true, force: true }),
      };
    },
  },
];

for (const target of trialTargets)
  describe(`kill -9 during a sync into ${target.name}`, { skip: target.skip }, () => {
    test(`${trialsPerTarget} seeded kills: never a tag on an incomplete image; the rerun finishes byte-exact`, async (t) => {
      const source = await startServeRegistry();
      const sink = await target.start();
      try {
        for (const [name, image] of trialImages) {
          const [repo, tag] = name.split(":") as [string, string];
          await seedImage(source.url, `proj/${repo}`, image, tag);
        }
        const sync = (trial: number): ChildProcess =>
          runCli([
            "sync",
            "--quiet",
            "--from",
            `${source.host}/proj`,
            "--repos",
            trialRepos.join(","),
            "--to",
            sink.to(trial),
          ]);
        // An uninterrupted run measures how long a sync takes here, and is checked like the reruns.
        const started = Date.now();
        assert.equal(await exitOf(sync(0)), 0);
        const span = Date.now() - started;
        await assertTrialTarget(sink, 0, true);

        const random = seededRandom(12);
        const outcomes = { killedMidway: 0, tagsPresentAtKill: 0, finishedFirst: 0 };
        for (let trial = 1; trial <= trialsPerTarget; trial++) {
          const child = sync(trial);
          const exited = exitOf(child);
          const delay = Math.round(span * (0.1 + 0.9 * random()));
          const finished = await Promise.race([exited.then(() => true), sleep(delay).then(() => false)]);
          if (finished) outcomes.finishedFirst++;
          else {
            child.kill("SIGKILL");
            await exited;
            outcomes.killedMidway++;
          }
          outcomes.tagsPresentAtKill += await assertTrialTarget(sink, trial, false);
          assert.equal(await exitOf(sync(trial)), 0, `trial ${trial}: the rerun succeeds`);
          await assertTrialTarget(sink, trial, true);
          assert.deepEqual(await sink.leftovers(trial), [], `trial ${trial}: no temporary file left`);
        }
        t.diagnostic(`${target.name}: ${JSON.stringify(outcomes)} (a full sync took ${span} ms)`);
        assert.ok(outcomes.killedMidway > 0, "some kills landed during the sync");
      } finally {
        await sink.stop();
        await source.stop();
      }
    });
  });

/**
 * Checks every tag the trial's target holds: it names the source's image, complete. With
 * `complete`, every tag must be there, and its manifest bytes as an independent client reads them
 * must be the source's. Returns how many tags were there.
 */
async function assertTrialTarget(
  sink: Awaited<ReturnType<TrialTarget["start"]>>,
  trial: number,
  complete: boolean,
): Promise<number> {
  let present = 0;
  for (const repo of trialRepos) {
    const repository = await sink.open(trial, repo).catch(() => undefined);
    const tags = repository === undefined ? [] : await repository.listTags().catch(() => [] as string[]);
    if (complete) assert.deepEqual(tags, trialTags, `trial ${trial}: ${repo} has every tag`);
    for (const tag of tags) {
      // Right after a kill, the registry may still be serving the killed run's last request:
      // distribution creates a tag's directory (so it is listed) before it writes the tag's link,
      // and until then the tag names nothing, which is no tag on an incomplete image.
      if (!complete && (await repository!.headManifest(tagReference(tag))) === undefined) continue;
      const image = trialImages.get(`${repo}:${tag}`)!;
      await assertHoldsImage(repository!, tag, image);
      if (complete) assert.equal(digestOf(await sink.raw(trial, repo, tag)), image.root.digest);
      present++;
    }
    await repository?.close?.();
  }
  return present;
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** mulberry32: a small seeded generator, so the kill moments are the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

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

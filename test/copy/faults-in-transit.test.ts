import assert from "node:assert/strict";
import { after, before, describe, type TestContext, test } from "node:test";
import { CopySession } from "../../src/copy/session.js";
import { summarize } from "../../src/copy/summary.js";
import { type SyncEntry, syncRepositories } from "../../src/copy/sync.js";
import { resolveSyncPairs } from "../../src/copy/sync-pairs.js";
import { createLayer, createSyntheticImage, type SyntheticImage } from "../../src/oci/synthetic.js";
import { RegistryClient } from "../../src/registry/client.js";
import type { Credential, CredentialSource } from "../../src/registry/credentials/types.js";
import { openSyncEndpoint, parseSyncEndpoint } from "../../src/store/sync-endpoint.js";
import { type DistributionRegistry, startDistribution } from "../helpers/distribution.js";
import {
  type FaultKind,
  type FaultPlan,
  type FaultProxy,
  type RequestKind,
  startFaultProxy,
} from "../helpers/fault-proxy.js";
import { registryKinds } from "../helpers/registries.js";
import { seedImage } from "../helpers/seed.js";
import { startServeRegistry } from "../helpers/serve.js";
import { digestOf, skopeoRaw } from "../helpers/skopeo.js";
import { startTokenServer, type TokenServer } from "../helpers/token-server.js";
import { skipUnless } from "../helpers/tools.js";

/** The client's idle timeout in these trials: a stall is noticed after this long. */
const idleTimeoutMs = 500;

/** The faults each kind of request can meet (see FaultKind). */
const faultsByKind: Readonly<Record<Exclude<RequestKind, "token" | "other">, readonly FaultKind[]>> = {
  manifest: ["alter", "5xx", "429", "429-retry-after", "reset", "truncate", "flip", "stall"],
  blob: ["5xx", "429", "429-retry-after", "reset", "truncate", "flip", "stall"],
  tags: ["5xx", "429", "429-retry-after", "reset", "truncate", "flip", "stall"],
  upload: ["5xx", "429", "429-retry-after", "reset", "flip", "stall"],
};

/** The faults a token request can meet (a GET to the realm). */
const tokenFaults: readonly FaultKind[] = [
  "5xx",
  "429",
  "429-retry-after",
  "reset",
  "truncate",
  "flip",
  "stall",
];

/** Trials per request kind and registry: seeded, so every run injects the same faults. */
const trialsPerKind = 12;

/** What a failure must say for each fault: the real cause, not a consequence. */
const causeOf: Readonly<Record<FaultKind, RegExp>> = {
  "5xx": /503|Service Unavailable/,
  "429": /429|rate limited/,
  "429-retry-after": /429|rate limited/,
  reset: /ECONNRESET|socket hang up|aborted|broke off|EPIPE/,
  truncate: /broke off|digest|unreadable|got \d+ bytes, expected/i,
  flip: /digest|unreadable|invalid/i,
  stall: /no data from|ETIMEDOUT/,
  alter: /other bytes|digest/i,
};

/** How one trial ended. */
type Outcome = "no fault hit" | "retried and succeeded" | "failed cleanly" | "silently wrong";

/** A source and a target registry, each behind a fault proxy, the images on the source, and whom to ask for tokens. */
interface Rig {
  readonly source: DistributionRegistry;
  readonly target: DistributionRegistry;
  readonly sourceProxy: FaultProxy;
  readonly targetProxy: FaultProxy;
  readonly images: ReadonlyMap<string, SyntheticImage>;
  readonly credentials?: CredentialSource;
}

/** The two images every trial syncs: an index of two platforms and one image, sharing a base layer. */
function createTrialImages(): Map<string, SyntheticImage> {
  const base = createLayer("faults-base", 24 * 1024);
  return new Map([
    ["1.0", createSyntheticImage({ seed: "faults-1", sharedLayers: [base], layerSizes: [16 * 1024] })],
    [
      "2.0",
      createSyntheticImage({ seed: "faults-2", index: false, sharedLayers: [base], layerSizes: [20 * 1024] }),
    ],
  ]);
}

/** Syncs src/app through both proxies into `<trial>/app`, with short timeouts and backoffs. */
async function syncThrough(rig: Rig, trial: string): Promise<SyncEntry[]> {
  const client = new RegistryClient({
    idleTimeoutMs,
    retryBaseMs: 5,
    retryCapMs: 40,
    maxRetryAfterMs: 2_000,
    ...(rig.credentials ? { credentials: rig.credentials } : {}),
  });
  try {
    const pairs = await resolveSyncPairs({
      from: openSyncEndpoint(client, parseSyncEndpoint(`${rig.sourceProxy.host}/src`)),
      to: openSyncEndpoint(client, parseSyncEndpoint(`${rig.targetProxy.host}/${trial}`)),
      repos: ["app"],
      policy: {},
    });
    const session = new CopySession();
    const entries = await syncRepositories(pairs, { session, jobs: 2 });
    // The summary is what the user sees: every failure is in it, with its message.
    const summary = summarize(entries, session.counters, {});
    assert.equal(summary.failed.length, entries.filter((e) => e.status === "failed").length);
    return entries;
  } finally {
    await client.close();
  }
}

/**
 * Checks the target after a trial (directly, not through the proxy) and classifies it: each tag is
 * complete and byte-identical to the source, or absent with a failed entry that names the real
 * cause and the side it came from.
 */
async function check(
  rig: Rig,
  trial: string,
  fault: FaultKind | undefined,
  entries: SyncEntry[],
): Promise<Outcome> {
  const target = rig.target.url;
  let failed = 0;
  for (const [tag, image] of rig.images) {
    const entry = entries.find((e) => e.tag === tag) ?? entries.find((e) => e.tag === "*");
    const onTarget = await fetch(`${target}/v2/${trial}/app/manifests/${tag}`, {
      headers: { accept: image.root.mediaType },
    });
    const bytes = Buffer.from(await onTarget.arrayBuffer());
    if (onTarget.status === 200) {
      if (digestOf(bytes) !== image.root.digest) return "silently wrong";
      for (const manifest of image.manifests) {
        const head = await fetch(`${target}/v2/${trial}/app/manifests/${manifest.digest}`, {
          method: "HEAD",
          headers: { accept: manifest.mediaType },
        });
        if (head.status !== 200) return "silently wrong";
      }
      for (const blob of image.blobs) {
        const head = await fetch(`${target}/v2/${trial}/app/blobs/${blob.digest}`, { method: "HEAD" });
        if (head.status !== 200 || Number(head.headers.get("content-length")) !== blob.size)
          return "silently wrong";
      }
      if (entry?.status === "copied" || entry?.status === "in-sync") continue;
    } else {
      assert.equal(onTarget.status, 404, `${trial} ${tag}: the target answered ${onTarget.status}`);
    }
    // Not copied: a failed entry that says why, naming the side it came from.
    assert.ok(entry, `${trial} ${tag}: no entry in the summary`);
    assert.equal(entry.status, "failed", `${trial} ${tag}: ${entry.status} but not on the target`);
    const message = entry.error ?? "";
    assert.ok(
      message.includes(rig.sourceProxy.host) ||
        message.includes(rig.targetProxy.host) ||
        /source/.test(message),
      `${trial} ${tag}: the error names neither side: ${message}`,
    );
    if (fault !== undefined) assert.match(message, causeOf[fault], `${trial} ${tag}: ${message}`);
    failed++;
  }
  return failed > 0 ? "failed cleanly" : "retried and succeeded";
}

/**
 * Runs `count` seeded trials of `faults` in `kind` requests through `proxies`; each must not be
 * silently wrong. Returns one line of outcomes per fault, for the table in docs/reliability.md.
 */
async function runTrials(
  t: TestContext,
  rig: Rig,
  kind: RequestKind,
  faults: readonly FaultKind[],
  proxies: readonly FaultProxy[],
  count = trialsPerKind,
): Promise<string> {
  const counts = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const fault = faults[i % faults.length]!;
    const seed = 1000 * (i + 1) + kind.length;
    // The first round of faults comes a few times (temporary: retried), the second on every
    // request; not stalls and Retry-After, where that only spends the retry budget's seconds.
    const bounded = i < faults.length || fault === "429-retry-after" || fault === "stall";
    const plan: FaultPlan = {
      kind,
      fault,
      // A sync lists tags twice (source, target), tags a manifest twice and asks for few tokens:
      // those faults come every time they may.
      rate: bounded && kind !== "tags" && kind !== "token" && fault !== "alter" ? 0.5 : 1,
      // One Retry-After of a second is enough to show it is honoured.
      ...(bounded ? { maxFaults: fault === "429-retry-after" ? 1 : 2 } : {}),
      seed,
    };
    for (const proxy of proxies) proxy.plan(plan);
    const trial = `t-${kind}-${i}`;
    const entries = await syncThrough(rig, trial);
    const hits = proxies.reduce((sum, proxy) => sum + proxy.injected.length, 0);
    for (const proxy of proxies) proxy.plan(undefined);
    let outcome = await check(rig, trial, fault, entries);
    for (const e of entries)
      if (e.status === "failed") t.diagnostic(`${trial} ${fault}: ${e.tag}: ${e.error}`);
    if (outcome === "retried and succeeded" && hits === 0) outcome = "no fault hit";
    assert.notEqual(outcome, "silently wrong", `${trial} (${fault}, seed ${seed})`);
    const key = `${fault}: ${outcome}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => `${key} x${n}`).join("; ");
}

// The trials of each registry run at once: they share nothing, and most of a trial is waiting.
describe("faults in transit", { concurrency: true }, () => {
  for (const kind of registryKinds)
    describe(`faults in transit (${kind.name})`, { skip: kind.skip, concurrency: 1 }, () => {
      let rig: Rig;

      before(async () => {
        const [source, target] = await Promise.all([kind.start(), kind.start()]);
        const [sourceProxy, targetProxy] = await Promise.all([
          startFaultProxy({ upstream: source.url, stallMs: idleTimeoutMs * 3 }),
          startFaultProxy({ upstream: target.url, stallMs: idleTimeoutMs * 3 }),
        ]);
        rig = { source, target, sourceProxy, targetProxy, images: createTrialImages() };
        for (const [tag, image] of rig.images) await seedImage(source.url, "src/app", image, tag);
      });
      after(async () => {
        await Promise.all([rig?.sourceProxy.stop(), rig?.targetProxy.stop()]);
        await Promise.all([rig?.source.stop(), rig?.target.stop()]);
      });

      test("a sync through the proxies without faults copies every tag byte for byte (skopeo agrees)", async () => {
        const entries = await syncThrough(rig, "clean");
        assert.deepEqual(
          entries.map((e) => e.status),
          ["copied", "copied"],
        );
        assert.equal(await check(rig, "clean", undefined, entries), "retried and succeeded");
        for (const [tag, image] of rig.images) {
          assert.equal(digestOf(await skopeoRaw(`${rig.target.host}/clean/app:${tag}`)), image.root.digest);
        }
      });

      for (const [requestKind, faults] of Object.entries(faultsByKind)) {
        test(`${trialsPerKind} seeded trials of faults in ${requestKind} requests`, async (t) => {
          const line = await runTrials(t, rig, requestKind as RequestKind, faults, [
            rig.sourceProxy,
            rig.targetProxy,
          ]);
          t.diagnostic(`${kind.name} ${requestKind}: ${line}`);
        });
      }

      test("a source blob that stalls every time is blamed on the source, after the copy tried it again", async () => {
        const { sourceProxy, targetProxy } = rig;
        // maxRetries 0: no resume, so each transfer meets one stall and the copy's own attempts show.
        const plan: FaultPlan = { kind: "blob", fault: "stall", rate: 1, seed: 7 };
        sourceProxy.plan(plan);
        const client = new RegistryClient({ idleTimeoutMs, maxRetries: 0, retryBaseMs: 5 });
        try {
          const pairs = await resolveSyncPairs({
            from: openSyncEndpoint(client, parseSyncEndpoint(`${sourceProxy.host}/src`)),
            to: openSyncEndpoint(client, parseSyncEndpoint(`${targetProxy.host}/stalled`)),
            repos: ["app"],
            policy: { include: "2\\.0" },
          });
          const [entry] = await syncRepositories(pairs, { session: new CopySession(), jobs: 1 });
          assert.equal(entry?.status, "failed");
          assert.match(entry?.error ?? "", new RegExp(`download from ${sourceProxy.host} broke off`));
          assert.match(entry?.error ?? "", new RegExp(`no data from ${sourceProxy.host}`));
          assert.ok(!(entry?.error ?? "").includes(targetProxy.host), entry?.error);
          // Each blob was tried more than once (4 transfers at most), each attempt stalled.
          const perBlob = new Map<string, number>();
          for (const hit of sourceProxy.injected) perBlob.set(hit.path, (perBlob.get(hit.path) ?? 0) + 1);
          assert.ok(
            [...perBlob.values()].some((n) => n >= 2),
            JSON.stringify([...perBlob]),
          );
        } finally {
          sourceProxy.plan(undefined);
          await client.close();
        }
        const onTarget = await fetch(`${rig.target.url}/v2/stalled/app/manifests/2.0`, { method: "HEAD" });
        assert.equal(onTarget.status, 404, "no tag on an incomplete image");
      });

      test("after the trials, a rerun without faults completes every trial's repository", async () => {
        // What failed cleanly is finished by a rerun: nothing was left in a state a rerun cannot fix.
        const trial = `t-upload-${trialsPerKind - 1}`;
        const entries = await syncThrough(rig, trial);
        assert.ok(entries.every((e) => e.status === "copied" || e.status === "in-sync"));
        assert.equal(await check(rig, trial, undefined, entries), "retried and succeeded");
      });
    });

  describe("faults in token requests (docker-registry with token auth as the source)", {
    skip: skipUnless("docker-registry", "openssl"),
    concurrency: 1,
  }, () => {
    let rig: Rig;
    let tokens: TokenServer;
    let tokenProxy: FaultProxy;
    const user = "puller";
    const password = "faults-pass";

    before(async () => {
      tokens = await startTokenServer({ users: { [user]: password } });
      tokenProxy = await startFaultProxy({
        upstream: new URL(tokens.realm).origin,
        stallMs: idleTimeoutMs * 3,
      });
      const realm = `${tokenProxy.url}${new URL(tokens.realm).pathname}`;
      const [source, target] = await Promise.all([
        startDistribution({ authYaml: tokens.authYaml.replace(tokens.realm, realm) }),
        startServeRegistry(),
      ]);
      const [sourceProxy, targetProxy] = await Promise.all([
        startFaultProxy({ upstream: source.url, stallMs: idleTimeoutMs * 3 }),
        startFaultProxy({ upstream: target.url, stallMs: idleTimeoutMs * 3 }),
      ]);
      const credential: Credential = { kind: "basic", username: user, password };
      rig = {
        source,
        target,
        sourceProxy,
        targetProxy,
        images: createTrialImages(),
        credentials: { get: async () => credential, describe: () => "the trial's fixed credential" },
      };
      const basic = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
      const grant = await fetch(
        `${tokens.realm}?service=${encodeURIComponent(tokens.service)}&scope=repository:src/app:pull,push`,
        { headers: { authorization: basic } },
      );
      const { token } = (await grant.json()) as { token: string };
      for (const [tag, image] of rig.images)
        await seedImage(source.url, "src/app", image, tag, `Bearer ${token}`);
    });
    after(async () => {
      await Promise.all([rig?.sourceProxy.stop(), rig?.targetProxy.stop(), tokenProxy?.stop()]);
      await Promise.all([rig?.source.stop(), rig?.target.stop(), tokens?.stop()]);
    });

    // One registry has token auth here, so it runs twice the trials of the other kinds.
    test(`${2 * trialsPerKind} seeded trials of faults in token requests`, async (t) => {
      const line = await runTrials(t, rig, "token", tokenFaults, [tokenProxy], 2 * trialsPerKind);
      t.diagnostic(`docker-registry token: ${line}`);
    });
  });
});

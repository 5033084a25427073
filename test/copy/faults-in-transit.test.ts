import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { CopySession } from "../../src/copy/session.js";
import { summarize } from "../../src/copy/summary.js";
import { type SyncEntry, syncRepositories } from "../../src/copy/sync.js";
import { parseSyncEndpoint, resolveSyncPairs } from "../../src/copy/sync-pairs.js";
import { createLayer, createSyntheticImage, type SyntheticImage } from "../../src/oci/synthetic.js";
import { RegistryClient } from "../../src/registry/client.js";
import type { DistributionRegistry } from "../helpers/distribution.js";
import {
  type FaultKind,
  type FaultPlan,
  type FaultProxy,
  type RequestKind,
  startFaultProxy,
} from "../helpers/fault-proxy.js";
import { registryKinds } from "../helpers/registries.js";
import { seedImage } from "../helpers/seed.js";
import { digestOf, skopeoRaw } from "../helpers/skopeo.js";

/** The client's idle timeout in these trials: a stall is noticed after this long. */
const idleTimeoutMs = 250;

/** The faults each kind of request can meet (see FaultKind). */
const faultsByKind: Readonly<Record<Exclude<RequestKind, "token" | "other">, readonly FaultKind[]>> = {
  manifest: ["alter", "5xx", "429", "429-retry-after", "reset", "truncate", "flip", "stall"],
  blob: ["5xx", "429", "429-retry-after", "reset", "truncate", "flip", "stall"],
  tags: ["5xx", "429", "429-retry-after", "reset", "truncate", "flip", "stall"],
  upload: ["5xx", "429", "429-retry-after", "reset", "flip", "stall"],
};

/** Trials per request kind and registry: seeded, so every run injects the same faults. */
const trialsPerKind = 12;

/** What a failure must say for each fault: the real cause, not a consequence. */
const causeOf: Readonly<Record<FaultKind, RegExp>> = {
  "5xx": /503|Service Unavailable/,
  "429": /429|rate limited/,
  "429-retry-after": /429|rate limited/,
  reset: /ECONNRESET|socket hang up|aborted|broke off|EPIPE/,
  truncate: /broke off|digest|unreadable/i,
  flip: /digest|unreadable|invalid/i,
  stall: /no data from|ETIMEDOUT/,
  alter: /other bytes|digest/i,
};

/** How one trial ended. */
type Outcome = "no fault hit" | "retried and succeeded" | "failed cleanly" | "silently wrong";

// The two registries' trials run at once: they share nothing, and most of a trial is waiting.
describe("faults in transit", { concurrency: true }, () => {
  for (const kind of registryKinds)
    describe(`faults in transit (${kind.name})`, { skip: kind.skip, concurrency: 1 }, () => {
      let source: DistributionRegistry;
      let target: DistributionRegistry;
      let sourceProxy: FaultProxy;
      let targetProxy: FaultProxy;
      const images = new Map<string, SyntheticImage>();
      const outcomes: string[] = [];

      before(async () => {
        [source, target] = await Promise.all([kind.start(), kind.start()]);
        [sourceProxy, targetProxy] = await Promise.all([
          startFaultProxy({ upstream: source.url, stallMs: idleTimeoutMs * 3 }),
          startFaultProxy({ upstream: target.url, stallMs: idleTimeoutMs * 3 }),
        ]);
        const base = createLayer("faults-base", 24 * 1024);
        images.set(
          "1.0",
          createSyntheticImage({ seed: "faults-1", sharedLayers: [base], layerSizes: [16 * 1024] }),
        );
        images.set(
          "2.0",
          createSyntheticImage({
            seed: "faults-2",
            index: false,
            sharedLayers: [base],
            layerSizes: [20 * 1024],
          }),
        );
        for (const [tag, image] of images) await seedImage(source.url, "src/app", image, tag);
      });
      after(async () => {
        await Promise.all([sourceProxy?.stop(), targetProxy?.stop()]);
        await Promise.all([source?.stop(), target?.stop()]);
      });

      /** Syncs src/app through both proxies into `t<trial>/app`, with short timeouts and backoffs. */
      const syncThrough = async (trial: string): Promise<SyncEntry[]> => {
        const client = new RegistryClient({
          idleTimeoutMs,
          retryBaseMs: 5,
          retryCapMs: 40,
          maxRetryAfterMs: 2_000,
        });
        try {
          const pairs = await resolveSyncPairs(client, {
            from: parseSyncEndpoint(`${sourceProxy.host}/src`),
            to: parseSyncEndpoint(`${targetProxy.host}/${trial}`),
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
      };

      /**
       * Checks the target after a trial (directly, not through the proxy) and classifies it: each
       * tag is complete and byte-identical to the source, or absent with a failed entry that names
       * the real cause and the side it came from.
       */
      const check = async (
        trial: string,
        fault: FaultKind | undefined,
        entries: SyncEntry[],
      ): Promise<Outcome> => {
        let failed = 0;
        for (const [tag, image] of images) {
          const entry = entries.find((e) => e.tag === tag) ?? entries.find((e) => e.tag === "*");
          const onTarget = await fetch(`${target.url}/v2/${trial}/app/manifests/${tag}`, {
            headers: { accept: image.root.mediaType },
          });
          const bytes = Buffer.from(await onTarget.arrayBuffer());
          if (onTarget.status === 200) {
            if (digestOf(bytes) !== image.root.digest) return "silently wrong";
            for (const manifest of image.manifests) {
              const head = await fetch(`${target.url}/v2/${trial}/app/manifests/${manifest.digest}`, {
                method: "HEAD",
                headers: { accept: manifest.mediaType },
              });
              if (head.status !== 200) return "silently wrong";
            }
            for (const blob of image.blobs) {
              const head = await fetch(`${target.url}/v2/${trial}/app/blobs/${blob.digest}`, {
                method: "HEAD",
              });
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
            message.includes(sourceProxy.host) ||
              message.includes(targetProxy.host) ||
              /source/.test(message),
            `${trial} ${tag}: the error names neither side: ${message}`,
          );
          if (fault !== undefined) assert.match(message, causeOf[fault], `${trial} ${tag}: ${message}`);
          failed++;
        }
        return failed > 0 ? "failed cleanly" : "retried and succeeded";
      };

      test("a sync through the proxies without faults copies every tag byte for byte (skopeo agrees)", async () => {
        sourceProxy.plan(undefined);
        targetProxy.plan(undefined);
        const entries = await syncThrough("clean");
        assert.deepEqual(
          entries.map((e) => e.status),
          ["copied", "copied"],
        );
        assert.equal(await check("clean", undefined, entries), "retried and succeeded");
        for (const [tag, image] of images) {
          assert.equal(digestOf(await skopeoRaw(`${target.host}/clean/app:${tag}`)), image.root.digest);
        }
      });

      for (const [requestKind, faults] of Object.entries(faultsByKind)) {
        test(`${trialsPerKind} seeded trials of faults in ${requestKind} requests`, async (t) => {
          const counts = new Map<string, number>();
          for (let i = 0; i < trialsPerKind; i++) {
            const fault = faults[i % faults.length]!;
            const seed = 1000 * (i + 1) + requestKind.length;
            // The first round of faults comes a few times (temporary: retried), the second on every
            // request; not stalls and Retry-After, where that only spends the retry budget's seconds.
            const bounded = i < faults.length || fault === "429-retry-after" || fault === "stall";
            const plan: FaultPlan = {
              kind: requestKind as RequestKind,
              fault,
              // A sync lists tags twice (source, target) and tags a manifest twice: those faults
              // come every time they may.
              rate: bounded && requestKind !== "tags" && fault !== "alter" ? 0.5 : 1,
              // One Retry-After of a second is enough to show it is honoured.
              ...(bounded ? { maxFaults: fault === "429-retry-after" ? 1 : 2 } : {}),
              seed,
            };
            sourceProxy.plan(plan);
            targetProxy.plan(plan);
            const trial = `t-${requestKind}-${i}`;
            const entries = await syncThrough(trial);
            const hits = sourceProxy.injected.length + targetProxy.injected.length;
            sourceProxy.plan(undefined);
            targetProxy.plan(undefined);
            let outcome = await check(trial, fault, entries);
            for (const e of entries)
              if (e.status === "failed") t.diagnostic(`${trial} ${fault}: ${e.tag}: ${e.error}`);
            if (outcome === "retried and succeeded" && hits === 0) outcome = "no fault hit";
            assert.notEqual(outcome, "silently wrong", `${trial} (${fault}, seed ${seed})`);
            const key = `${fault}: ${outcome}`;
            counts.set(key, (counts.get(key) ?? 0) + 1);
          }
          const line = [...counts].map(([key, n]) => `${key} x${n}`).join("; ");
          outcomes.push(`${requestKind}: ${line}`);
          t.diagnostic(`${kind.name} ${requestKind}: ${line}`);
        });
      }

      test("a source blob that stalls every time is blamed on the source, after the copy tried it again", async () => {
        // maxRetries 0: no resume, so each transfer meets one stall and the copy's own attempts show.
        const plan: FaultPlan = { kind: "blob", fault: "stall", rate: 1, seed: 7 };
        sourceProxy.plan(plan);
        const client = new RegistryClient({ idleTimeoutMs, maxRetries: 0, retryBaseMs: 5 });
        try {
          const pairs = await resolveSyncPairs(client, {
            from: parseSyncEndpoint(`${sourceProxy.host}/src`),
            to: parseSyncEndpoint(`${targetProxy.host}/stalled`),
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
        const onTarget = await fetch(`${target.url}/v2/stalled/app/manifests/2.0`, { method: "HEAD" });
        assert.equal(onTarget.status, 404, "no tag on an incomplete image");
      });

      test("after the trials, a rerun without faults completes every trial's repository", async () => {
        // What failed cleanly is finished by a rerun: nothing was left in a state a rerun cannot fix.
        const trial = `t-upload-${trialsPerKind - 1}`;
        const entries = await syncThrough(trial);
        assert.ok(entries.every((e) => e.status === "copied" || e.status === "in-sync"));
        assert.equal(await check(trial, undefined, entries), "retried and succeeded");
      });
    });
});

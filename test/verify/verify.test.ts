import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { after, before, describe, test } from "node:test";
import { parseMappingRule } from "../../src/reference/mapping.js";
import { RegistryClient } from "../../src/registry/client.js";
import { createCredentialSource } from "../../src/registry/credentials/index.js";
import { scanRepository } from "../../src/scan/scan-repository.js";
import type { RecordedImage } from "../../src/verify/check-pair.js";
import { type VerifyItem, type VerifyResult, verifyReferences } from "../../src/verify/verify.js";
import { freePort } from "../helpers/distribution.js";
import { skipUnless } from "../helpers/tools.js";
import { deployment, startVerifyRegistries, type VerifyRegistries, writeRepo } from "./fixture.js";

describe("verifyReferences against real registries", { skip: skipUnless("docker-registry") }, () => {
  let r: VerifyRegistries;
  let client: RegistryClient;
  let anonymousClient: RegistryClient;
  const dirs: string[] = [];
  before(async () => {
    r = await startVerifyRegistries();
    client = new RegistryClient({ credentials: createCredentialSource({ env: r.env }), retryBaseMs: 10 });
    anonymousClient = new RegistryClient({ retryBaseMs: 10 });
  });
  after(async () => {
    await client?.close();
    await anonymousClient?.close();
    await r?.stop();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  async function verifyRepo(
    files: Record<string, string>,
    extra: { recorded?: readonly RecordedImage[]; checkPublic?: boolean } = {},
  ): Promise<VerifyResult> {
    const dir = await writeRepo(files);
    dirs.push(dir);
    const rules = r.maps.map(parseMappingRule);
    const scan = await scanRepository(dir, { rules });
    return await verifyReferences({ client, anonymousClient, rules, references: scan.references, ...extra });
  }

  const byTarget = (result: VerifyResult, target: string): VerifyItem => {
    const item = result.items.find((i) => i.target === target);
    assert.ok(item, `no item for ${target} in ${JSON.stringify(result.items.map((i) => i.target))}`);
    return item;
  };

  test("copied, uncopied, drifted, single-platform and unsigned targets are each told apart", async () => {
    const s = r.src.host;
    const d = r.dst.host;
    const result = await verifyRepo({
      "k8s/deploy.yaml": deployment([
        `${s}/src/app:1.0`,
        `${s}/src/app:old`,
        `${s}/src/app:drift`,
        `${s}/src/app:multi`,
        `${s}/src/signed:1`,
      ]),
      "docs/install.md": `# Install\n\n\`\`\`\ndocker pull ${s}/src/app:old\n\`\`\`\n`,
      Makefile: `IMG ?= ${s}/src/app:$(TAG)\nREGISTRY ?= ${s}/src\n`,
    });
    assert.equal(result.ok, false);
    assert.equal(result.items.length, 5);

    const ok = byTarget(result, `${d}/dst/app:1.0`);
    assert.equal(ok.status, "ok", ok.problems.join("\n"));
    assert.deepEqual(ok.problems, []);
    assert.equal(ok.source, `${s}/src/app:1.0`);
    assert.equal(ok.sourceDigest, r.images["app"]?.root.digest);
    assert.equal(ok.targetDigest, r.images["app"]?.root.digest);
    assert.deepEqual(ok.platforms, ["linux/amd64", "linux/arm64"]);

    const missing = byTarget(result, `${d}/dst/app:old`);
    assert.equal(missing.status, "missing");
    assert.deepEqual(missing.where, ["docs/install.md:4", "k8s/deploy.yaml:10"]);
    assert.equal(missing.targetDigest, undefined);
    assert.equal(missing.sourceDigest, r.images["old"]?.root.digest);
    assert.match(
      missing.problems[0] ?? "",
      /docs\/install\.md:4, k8s\/deploy\.yaml:10 pin .*app:old, a tag nobody copied/,
    );
    assert.match(missing.problems[0] ?? "", /crossdock copy /);

    const drift = byTarget(result, `${d}/dst/app:drift`);
    assert.equal(drift.status, "digest-differs");
    assert.equal(drift.sourceDigest, r.images["driftSource"]?.root.digest);
    assert.equal(drift.targetDigest, r.images["driftTarget"]?.root.digest);
    assert.deepEqual(drift.where, ["k8s/deploy.yaml:12"]);

    const multi = byTarget(result, `${d}/dst/app:multi`);
    assert.equal(multi.status, "platforms-differ");
    assert.equal(multi.problems.length, 2, multi.problems.join("\n"));
    assert.ok(
      multi.problems.some((p) =>
        /single-platform image where the source is an index of linux\/amd64, linux\/arm64/.test(p),
      ),
    );
    assert.ok(multi.problems.some((p) => p.includes(r.images["multi"]!.root.digest)));

    const signed = byTarget(result, `${d}/dst/signed:1`);
    assert.equal(signed.status, "signatures-missing");
    assert.match(
      signed.problems[0] ?? "",
      new RegExp(`${r.images["signed"]!.root.digest.replace(":", "-")}\\.sig`),
    );

    // The Makefile's partial reference and its bare prefix are counted, not checked.
    assert.deepEqual(result.skipped, { prefix: 1, partial: 1 });
  });

  test("all copied: ok, with no manifest GET against the source", async () => {
    r.src.clearAccessLog();
    const result = await verifyRepo({
      "k8s/deploy.yaml": deployment([`${r.src.host}/src/app:1.0`]),
      "compose.yaml": `services:\n  app:\n    image: ${r.src.host}/src/app:1.0\n`,
    });
    assert.equal(result.ok, true, JSON.stringify(result.items, null, 2));
    assert.equal(result.items.length, 1);
    assert.deepEqual(result.items[0]?.where, ["compose.yaml:3", "k8s/deploy.yaml:8"]);
    const sourceGets = r.src.accessLog().filter((e) => e.method === "GET" && e.path.includes("/manifests/"));
    assert.deepEqual(sourceGets, []);
  });

  test("after the rewrite: references naming the target are checked through the reverse mapping", async () => {
    const result = await verifyRepo({
      "k8s/deploy.yaml": deployment([`${r.dst.host}/dst/app:1.0`, `${r.dst.host}/dst/app:old`]),
    });
    const ok = byTarget(result, `${r.dst.host}/dst/app:1.0`);
    assert.equal(ok.status, "ok", ok.problems.join("\n"));
    assert.equal(ok.source, `${r.src.host}/src/app:1.0`);
    assert.equal(ok.sourceDigest, r.images["app"]?.root.digest);
    const missing = byTarget(result, `${r.dst.host}/dst/app:old`);
    assert.equal(missing.status, "missing");
    assert.deepEqual(missing.where, ["k8s/deploy.yaml:10"]);
  });

  test("a target that refuses anonymous pulls is not-public; with --no-public-check it passes", async () => {
    const files = { "values.yaml": `image: ${r.src.host}/priv/app:1.0\n` };
    const result = await verifyRepo(files);
    const item = byTarget(result, `${r.priv.host}/team/app:1.0`);
    assert.equal(item.status, "not-public", item.problems.join("\n"));
    assert.equal(item.targetDigest, r.images["app"]?.root.digest, "the credentialed client read the target");
    assert.match(item.problems[0] ?? "", /cannot be pulled anonymously \(401 UNAUTHORIZED\)/);
    assert.equal(result.ok, false);
    const unchecked = await verifyRepo(files, { checkPublic: false });
    assert.equal(unchecked.ok, true, JSON.stringify(unchecked.items, null, 2));
  });

  test("a source gone since the migration: crossdock.lock's digest stands in; without a lock, source-missing", async () => {
    const files = { "k8s/deploy.yaml": deployment([`${r.dst.host}/dst/app:gone`]) };
    const bare = await verifyRepo(files);
    assert.equal(bare.items[0]?.status, "source-missing");
    const entry = {
      source: `${r.src.host}/src/app:gone`,
      target: `${r.dst.host}/dst/app:gone`,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      platforms: [],
      owner: "own" as const,
    };
    const good = await verifyRepo(files, {
      recorded: [{ ...entry, digest: r.images["gone"]!.root.digest }],
    });
    assert.equal(good.items[0]?.status, "ok", good.items[0]?.problems.join("\n"));
    assert.equal(good.items[0]?.sourceDigest, r.images["gone"]?.root.digest);
    const wrong = await verifyRepo(files, {
      recorded: [{ ...entry, digest: r.images["app"]!.root.digest }],
    });
    assert.equal(wrong.items[0]?.status, "digest-differs");
    assert.match(wrong.items[0]?.problems[0] ?? "", /crossdock\.lock/);
  });

  test("a target registry that cannot be reached is an error item, not a crash", async () => {
    const port = await freePort();
    const rules = [parseMappingRule(`${r.src.host}/src=127.0.0.1:${port}/nowhere`)];
    const dir = await writeRepo({ "k8s/deploy.yaml": deployment([`${r.src.host}/src/app:1.0`]) });
    dirs.push(dir);
    const scan = await scanRepository(dir, { rules });
    const result = await verifyReferences({ client, anonymousClient, rules, references: scan.references });
    assert.equal(result.ok, false);
    assert.equal(result.items[0]?.status, "error");
    assert.match(
      result.items[0]?.problems[0] ?? "",
      new RegExp(`cannot read 127\\.0\\.0\\.1:${port}/nowhere/app:1\\.0`),
    );
  });
});

import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { after, before, describe, test } from "node:test";
import { parseConfig } from "../../src/migrate/config/load-config.js";
import { findDrift } from "../../src/migrate/find-drift.js";
import type { LockImage } from "../../src/migrate/lock.js";
import { RegistryClient } from "../../src/registry/client.js";
import { createCredentialSource } from "../../src/registry/credentials/index.js";
import { skipUnless } from "../helpers/tools.js";
import { deployment, startVerifyRegistries, type VerifyRegistries, writeRepo } from "../verify/fixture.js";

describe("findDrift against real registries (docker-registry and a private crossdock serve)", {
  skip: skipUnless("docker-registry"),
}, () => {
  let r: VerifyRegistries;
  let client: RegistryClient;
  let anonymousClient: RegistryClient;
  let dir: string;
  before(async () => {
    r = await startVerifyRegistries();
    client = new RegistryClient({ credentials: createCredentialSource({ env: r.env }), retryBaseMs: 10 });
    anonymousClient = new RegistryClient({ retryBaseMs: 10 });
  });
  after(async () => {
    await Promise.all([client?.close(), anonymousClient?.close()]);
    await r?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test("names each kind of drift once, and nothing for an image copied faithfully", async () => {
    const { src, dst, priv } = r;
    dir = await writeRepo({
      "deploy.yaml": deployment([`${dst.host}/dst/app:1.0`, `${src.host}/src/app:1.0`]),
    });
    const config = parseConfig(
      [
        "mappings:",
        `  - from: ${src.host}/src`,
        `    to: ${dst.host}/dst`,
        "    repositories: [app]",
        '    tags: { include: "1\\\\.0|old|drift" }',
        "",
      ].join("\n"),
      "crossdock.yaml",
    );
    const recorded = (source: string, target: string): LockImage => ({
      source,
      target,
      digest: "sha256:unused",
      mediaType: "",
      platforms: [],
      owner: "own",
    });
    const lock = {
      version: 1 as const,
      images: [recorded(`${src.host}/priv/app:1.0`, `${priv.host}/team/app:1.0`)],
      rewrites: [],
    };
    const drift = await findDrift({ dir, config, lock, client, anonymousClient });
    const lines = drift.map((d) => `${d.kind} ${d.subject}`).sort();
    assert.deepEqual(lines, [
      `digest-differs ${src.host}/src/app:drift`,
      `missing-tag ${src.host}/src/app:old`,
      `not-public ${priv.host}/team/app:1.0`,
      "source-reference deploy.yaml:10",
    ]);
  });
});

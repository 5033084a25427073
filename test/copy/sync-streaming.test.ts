import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { CopySession } from "../../src/copy/session.js";
import { syncRepositories } from "../../src/copy/sync.js";
import { resolveSyncPairs } from "../../src/copy/sync-pairs.js";
import { createSyntheticImage } from "../../src/oci/synthetic.js";
import { RegistryClient } from "../../src/registry/client.js";
import { openSyncEndpoint, parseSyncEndpoint } from "../../src/store/sync-endpoint.js";
import type { DistributionRegistry } from "../helpers/distribution.js";
import { seedImage } from "../helpers/seed.js";
import { startServeRegistry } from "../helpers/serve.js";

// One registry holds both sides (org/ and mirror/), so its access log orders every request of the run.
let registry: DistributionRegistry;
/** More repositories than sync plans at once (16), so the last one waits for a slot. */
const names = Array.from({ length: 17 }, (_, i) => `app-${String(i).padStart(2, "0")}`);

before(async () => {
  registry = await startServeRegistry();
  for (const name of names)
    await seedImage(registry.url, `org/${name}`, createSyntheticImage({ seed: name, index: false }), "v1");
});
after(async () => {
  await registry?.stop();
});

test("sync streams by repository: one is copied before the last is listed, and every tag arrives", async () => {
  const client = new RegistryClient();
  try {
    const pairs = await resolveSyncPairs({
      from: openSyncEndpoint(client, parseSyncEndpoint(`${registry.host}/org`)),
      to: openSyncEndpoint(client, parseSyncEndpoint(`${registry.host}/mirror`)),
      repos: names,
      policy: {},
    });
    registry.clearAccessLog();
    const entries = await syncRepositories(pairs, { session: new CopySession() });
    assert.deepEqual(
      entries.map((e) => `${e.tag} ${e.status}`),
      names.map(() => "v1 copied"),
    );
    const log = registry.accessLog().map((e) => `${e.method} ${e.path}`);
    const firstTagWritten = log.findIndex((line) => /^PUT \/v2\/mirror\/app-\d+\/manifests\/v1$/.test(line));
    const lastListed = log.indexOf(`GET /v2/org/${names.at(-1)}/tags/list`);
    assert.ok(firstTagWritten >= 0 && lastListed >= 0, log.join("\n"));
    // Planning the whole organisation first would list every repository before writing any tag.
    assert.ok(
      firstTagWritten < lastListed,
      `tag written at ${firstTagWritten}, last listed at ${lastListed}`,
    );
  } finally {
    await client.close();
  }
});

/**
 * `copy --platform` makes a new index, with a new digest: the cosign signature of the original
 * index names a digest the target never gets, so it must stay behind, and the summary says so.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { copyImage } from "../../src/copy/copy-image.js";
import { CopySession } from "../../src/copy/session.js";
import { cosignTag, createSignature, createSyntheticImage } from "../../src/oci/synthetic.js";
import { parseReference } from "../../src/reference/reference.js";
import { RegistryClient } from "../../src/registry/client.js";
import { RegistryRepository } from "../../src/store/registry-repository.js";
import type { DistributionRegistry } from "../helpers/distribution.js";
import { registryKinds } from "../helpers/registries.js";
import { seedImage } from "../helpers/seed.js";

for (const kind of registryKinds)
  describe(`copy --platform of a signed index, ${kind.name}`, { skip: kind.skip }, () => {
    let source: DistributionRegistry;
    let target: DistributionRegistry;
    let client: RegistryClient;
    const repo = (registry: DistributionRegistry, path: string) =>
      new RegistryRepository(client, parseReference(`${registry.host}/${path}`));

    before(async () => {
      [source, target] = await Promise.all([kind.start(), kind.start()]);
      client = new RegistryClient();
    });
    after(async () => {
      await client?.close();
      await Promise.all([source?.stop(), target?.stop()]);
    });

    test("leaves the original index's signature behind and says why", async () => {
      const image = createSyntheticImage({ seed: "signed-subset" });
      const signatureTag = cosignTag(image.root.digest, "sig");
      await seedImage(source.url, "proj/app", image, "v1");
      await seedImage(source.url, "proj/app", createSignature(image.root, "sig"), signatureTag);

      const result = await copyImage(repo(source, "proj/app"), repo(target, "proj/app"), "v1", {
        session: new CopySession(),
        platforms: ["linux/arm64"],
      });

      assert.notEqual(result.digest, image.root.digest);
      assert.equal(result.attachments, 0);
      assert.equal(await repo(target, "proj/app").headManifest(signatureTag), undefined);
      assert.deepEqual(await repo(target, "proj/app").listTags(), ["v1"]);
      const note = result.warnings.find((w) => w.includes(signatureTag));
      assert.ok(note !== undefined, result.warnings.join("\n"));
      assert.match(note, new RegExp(`original ${image.root.digest}`));
      assert.match(note, new RegExp(`another image, ${result.digest}`));
    });

    test("an unsigned index copied in part has nothing to report", async () => {
      const image = createSyntheticImage({ seed: "unsigned-subset" });
      await seedImage(source.url, "proj/plain", image, "v1");
      const result = await copyImage(repo(source, "proj/plain"), repo(target, "proj/plain"), "v1", {
        session: new CopySession(),
        platforms: ["linux/amd64"],
      });
      assert.deepEqual(
        result.warnings.filter((w) => w.startsWith("not copied")),
        [],
      );
    });
  });

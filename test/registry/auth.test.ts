import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createSyntheticImage } from "../../src/oci/synthetic.js";
import { parseReference, withDigest, withTag } from "../../src/reference/reference.js";
import { RegistryClient } from "../../src/registry/client.js";
import type { Credential, CredentialSource } from "../../src/registry/credentials/types.js";
import { RegistryError } from "../../src/registry/errors.js";
import { type DistributionRegistry, startDistribution } from "../helpers/distribution.js";
import { fixturePath } from "../helpers/paths.js";
import { seedImage } from "../helpers/seed.js";
import { registryLeewaySeconds, startTokenServer, type TokenServer } from "../helpers/token-server.js";
import { skipUnless } from "../helpers/tools.js";

/** The user and password in test/fixtures/registry/htpasswd. */
const user = "tester";
const password = "s3cret-pass";
const basicHeader = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

/** A credential source that always answers with one credential (the config-file sources have their own tests). */
function fixedCredentials(credential: Credential | undefined): CredentialSource {
  return { get: async () => credential, describe: () => "the test's fixed credential" };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("basic auth (htpasswd)", { skip: skipUnless("docker-registry") }, () => {
  let registry: DistributionRegistry;
  const clients: RegistryClient[] = [];
  const image = createSyntheticImage({ seed: "basic-auth", index: false });
  before(async () => {
    registry = await startDistribution({
      authYaml: `  htpasswd:\n    realm: basic-realm\n    path: ${fixturePath("registry", "htpasswd")}`,
    });
    await seedImage(registry.url, "private/app", image, "1.0", basicHeader);
  });
  after(async () => {
    for (const client of clients) await client.close();
    await registry?.stop();
  });
  const clientWith = (credential: Credential | undefined): RegistryClient => {
    const client = new RegistryClient({ credentials: fixedCredentials(credential), retryBaseMs: 10 });
    clients.push(client);
    return client;
  };

  test("with the right password: read and write", async () => {
    const client = clientWith({ kind: "basic", username: user, password });
    const ref = parseReference(`${registry.host}/private/app:1.0`);
    await client.ping(registry.host);
    const fetched = await client.getManifest(ref);
    assert.equal(fetched.digest, image.root.digest);
    assert.equal(
      await client.putManifest(withTag(ref, "copy"), fetched.bytes, fetched.mediaType),
      image.root.digest,
    );
    assert.deepEqual((await client.listTags(ref)).sort(), ["1.0", "copy"]);
  });

  test("anonymous and wrong passwords get UNAUTHORIZED, and the message holds no secret", async () => {
    const ref = parseReference(`${registry.host}/private/app:1.0`);
    for (const credential of [
      undefined,
      { kind: "basic", username: user, password: "wrong-pass" } as const,
    ]) {
      await assert.rejects(clientWith(credential).getManifest(ref), (error: unknown) => {
        assert.ok(error instanceof RegistryError);
        assert.equal(error.status, 401);
        assert.equal(error.code, "UNAUTHORIZED");
        assert.match(error.message, /the test's fixed credential/, "says where the credentials came from");
        assert.doesNotMatch(error.message, /wrong-pass|s3cret/);
        return true;
      });
    }
  });
});

describe("token auth (registry's own auth: token, RS256 JWT with x5c)", {
  skip: skipUnless("docker-registry", "openssl"),
}, () => {
  let tokens: TokenServer;
  let registry: DistributionRegistry;
  const clients: RegistryClient[] = [];
  const image = createSyntheticImage({ seed: "token-auth", layerSizes: [512, 4096] });
  before(async () => {
    tokens = await startTokenServer({ users: { [user]: password }, refreshTokens: { "refresh-abc": user } });
    registry = await startDistribution({ authYaml: tokens.authYaml });
  });
  after(async () => {
    for (const client of clients) await client.close();
    await registry?.stop();
    await tokens?.stop();
  });
  const clientWith = (credential: Credential | undefined): RegistryClient => {
    const client = new RegistryClient({ credentials: fixedCredentials(credential), retryBaseMs: 10 });
    clients.push(client);
    return client;
  };

  test("push, pull, mount and list with a bearer token; tokens are cached per scope set", async () => {
    const client = clientWith({ kind: "basic", username: user, password });
    const source = parseReference(`${registry.host}/team/source:1.0`);
    const target = parseReference(`${registry.host}/team/target:1.0`);
    await client.ping(registry.host);
    for (const blob of image.blobs) await client.pushBlob(source, blob.digest, blob.size, blob.bytes);
    for (const manifest of image.manifests) {
      const ref = manifest === image.root ? source : withDigest(source, manifest.digest);
      await client.putManifest(ref, manifest.bytes, manifest.mediaType);
    }
    assert.equal((await client.getManifest(source)).digest, image.root.digest);
    const grantsBefore = tokens.grants.length;
    for (const blob of image.blobs) assert.equal(await client.mountBlob(target, blob.digest, source), true);
    const mountGrants = tokens.grants.slice(grantsBefore);
    assert.equal(mountGrants.length, 1, "one token for every mount");
    assert.deepEqual([...(mountGrants[0]?.scopes ?? [])].sort(), [
      "repository:team/source:pull",
      "repository:team/target:pull,push",
    ]);
    assert.deepEqual(await client.listTags(source), ["1.0"]);
    const pushGrants = tokens.grants.filter((g) => g.scopes.includes("repository:team/source:pull,push"));
    assert.equal(pushGrants.length, 1, "the push token was reused for every upload and manifest");
    assert.ok(tokens.grants.every((g) => g.user === user && g.status === 200));
    assert.equal(client.stats.forHost(registry.host).token, tokens.grants.length);
  });

  test("an identity token is exchanged with the OAuth2 refresh_token grant", async () => {
    const client = clientWith({ kind: "identity-token", token: "refresh-abc" });
    const before = tokens.grants.length;
    assert.deepEqual(await client.listTags(parseReference(`${registry.host}/team/source`)), ["1.0"]);
    const grant = tokens.grants.slice(before).find((g) => g.method === "POST");
    assert.equal(grant?.grantType, "refresh_token");
    assert.equal(grant?.user, user);
  });

  test("anonymous pulls are refused, wrong passwords fail at the token server, no secret in messages", async () => {
    const ref = parseReference(`${registry.host}/team/source:1.0`);
    await assert.rejects(clientWith(undefined).getManifest(ref), (error: unknown) => {
      assert.ok(error instanceof RegistryError);
      assert.equal(error.status, 401);
      return true;
    });
    await assert.rejects(
      clientWith({ kind: "basic", username: user, password: "wrong-pass" }).getManifest(ref),
      (error: unknown) => {
        assert.ok(error instanceof RegistryError);
        assert.equal(error.code, "UNAUTHORIZED");
        assert.match(error.message, /token server answered 401/);
        assert.doesNotMatch(error.message + error.url, /wrong-pass/);
        return true;
      },
    );
  });

  test("a token is refreshed before expires_in runs out", async () => {
    const client = clientWith({ kind: "basic", username: user, password });
    const ref = parseReference(`${registry.host}/team/source:1.0`);
    tokens.setLifetime(300, 1);
    try {
      await client.headManifest(ref);
      const before = tokens.grants.length;
      await sleep(900);
      registry.clearAccessLog();
      await client.headManifest(ref);
      assert.equal(tokens.grants.length, before + 1, "a new token was fetched");
      await sleep(100);
      assert.ok(
        registry.accessLog().every((e) => e.status !== 401),
        "fetched ahead of time: the registry never answered 401",
      );
    } finally {
      tokens.setLifetime(300, 300);
    }
  });

  test("a token that expires mid-run is refreshed once after the 401", async () => {
    const client = clientWith({ kind: "basic", username: user, password });
    const ref = parseReference(`${registry.host}/team/source:1.0`);
    // valid for 2 s at the registry (its leeway included), while the client is told 300 s
    tokens.setLifetime(2 - registryLeewaySeconds, 300);
    try {
      assert.equal((await client.getManifest(ref)).digest, image.root.digest);
      tokens.setLifetime(300, 300);
      const before = tokens.grants.length;
      await sleep(2_500);
      registry.clearAccessLog();
      assert.equal((await client.getManifest(ref)).digest, image.root.digest);
      assert.equal(tokens.grants.length, before + 1, "one new token");
      await sleep(100);
      const statuses = registry.accessLog().map((e) => e.status);
      assert.deepEqual(statuses, [401, 200], "rejected once, then served");
    } finally {
      tokens.setLifetime(300, 300);
    }
  });
});

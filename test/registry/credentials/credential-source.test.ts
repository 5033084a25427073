import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, test } from "node:test";
import { inspect } from "node:util";
import { createCredentialSource, describeCredential } from "../../../src/registry/credentials/index.js";
import { basicAuth, makeTempHome, type TempHome } from "./temp-home.js";

let t: TempHome;
before(async () => {
  t = await makeTempHome();
});
after(() => t.remove());

test("a credential prints as a summary: String, JSON, inspect never show the secret", async () => {
  const file = await t.write("print/config.json", {
    auths: {
      "ghcr.io": { auth: basicAuth("alice", "print-secret-1") },
      "quay.io": { identitytoken: "print-secret-2" },
    },
  });
  const source = createCredentialSource({
    env: { ...t.env, DOCKER_CONFIG: path.dirname(file) },
    homeDir: t.home,
  });
  const basic = await source.get("ghcr.io");
  const identity = await source.get("quay.io");
  assert.ok(basic?.kind === "basic" && basic.password === "print-secret-1", "the secret is there to use");
  assert.ok(identity !== undefined);
  for (const [credential, secret] of [
    [basic, "print-secret-1"],
    [identity, "print-secret-2"],
  ] as const) {
    for (const shown of [
      String(credential),
      `${credential}`,
      JSON.stringify(credential),
      JSON.stringify({ credential }),
      inspect(credential),
    ]) {
      assert.ok(!shown.includes(secret), shown);
    }
  }
  assert.equal(String(basic), '[Credential: user "alice" with a password]');
  assert.equal(describeCredential(identity), "an identity token");
  assert.deepEqual({ ...basic }, { kind: "basic", username: "alice", password: "print-secret-1" });
});

test("describe() says where a credential would come from before a lookup and never shows a secret", async () => {
  const env = {
    ...t.env,
    DOCKER_CONFIG: path.join(t.root, "describe"),
    REGISTRY_AUTH_FILE: path.join(t.root, "p.json"),
  };
  const source = createCredentialSource({
    env: { ...env, CROSSDOCK_AUTH_GHCR_IO_TOKEN: "describe-secret" },
    homeDir: t.home,
  });
  const before = source.describe("ghcr.io");
  assert.match(
    before,
    /^credentials for ghcr\.io from the first of: CROSSDOCK_AUTH_GHCR_IO_USERNAME\/_PASSWORD/,
  );
  assert.ok(before.includes("GITHUB_ACTOR/GITHUB_TOKEN"));
  assert.ok(before.includes(path.join(t.root, "describe", "config.json")));
  assert.ok(before.includes(path.join(t.root, "p.json")));
  await source.get("ghcr.io");
  assert.equal(
    source.describe("ghcr.io"),
    "credentials for ghcr.io from environment variable CROSSDOCK_AUTH_GHCR_IO_TOKEN",
  );
  assert.ok(!source.describe("ghcr.io").includes("describe-secret"));
  assert.ok(
    !source.describe("docker.io").includes("GITHUB_TOKEN"),
    "GITHUB_TOKEN is never a source for Docker Hub",
  );
  assert.ok(source.describe("index.docker.io").includes("DOCKERHUB_USERNAME/DOCKERHUB_TOKEN"));
});

test("a host's result is kept for the life of the source, even when the file changes", async () => {
  const file = await t.write("cache/config.json", {
    auths: { "ghcr.io": { auth: basicAuth("first", "1") } },
  });
  const source = createCredentialSource({
    env: { ...t.env, DOCKER_CONFIG: path.dirname(file) },
    homeDir: t.home,
  });
  assert.deepEqual(await source.get("ghcr.io"), { kind: "basic", username: "first", password: "1" });
  assert.equal(await source.get("quay.io"), undefined);
  await writeFile(
    file,
    JSON.stringify({
      auths: { "ghcr.io": { auth: basicAuth("second", "2") }, "quay.io": { auth: basicAuth("q", "q") } },
    }),
  );
  assert.deepEqual(await source.get("ghcr.io"), { kind: "basic", username: "first", password: "1" });
  assert.equal(await source.get("quay.io"), undefined, "a cached 'none' stays none");
  const fresh = createCredentialSource({
    env: { ...t.env, DOCKER_CONFIG: path.dirname(file) },
    homeDir: t.home,
  });
  assert.deepEqual(await fresh.get("ghcr.io"), { kind: "basic", username: "second", password: "2" });
});

test("HOME from the given environment is the default home directory", async () => {
  await t.write("home/.docker/config.json", { auths: { "ghcr.io": { auth: basicAuth("via-home", "h") } } });
  const source = createCredentialSource({ env: t.env });
  assert.deepEqual(await source.get("ghcr.io"), { kind: "basic", username: "via-home", password: "h" });
});

import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";
import { UsageError } from "../../../src/errors.js";
import { createCredentialSource } from "../../../src/registry/credentials/index.js";
import { basicAuth, makeTempHome, type TempHome } from "./temp-home.js";

let t: TempHome;
before(async () => {
  t = await makeTempHome();
});
after(() => t.remove());

/** A source that reads `vars` on top of the temp home's environment; no docker config exists. */
function source(vars: NodeJS.ProcessEnv) {
  return createCredentialSource({
    env: { ...t.env, DOCKER_CONFIG: path.join(t.root, "no-docker"), ...vars },
    homeDir: t.home,
  });
}

test("REGISTRY_AUTH_FILE is read with the auths shape podman writes", async () => {
  const file = await t.write("podman/auth.json", {
    auths: { "quay.io": { auth: basicAuth("quser", "qpw") } },
  });
  const s = source({ REGISTRY_AUTH_FILE: file });
  assert.deepEqual(await s.get("quay.io"), { kind: "basic", username: "quser", password: "qpw" });
  assert.equal(s.describe("quay.io"), `credentials for quay.io from auths["quay.io"] in ${file}`);
});

test("podman's docker.io key serves registry-1.docker.io", async () => {
  const file = await t.write("podman-hub/auth.json", {
    auths: { "docker.io": { auth: basicAuth("h", "hp") } },
  });
  assert.deepEqual(await source({ REGISTRY_AUTH_FILE: file }).get("registry-1.docker.io"), {
    kind: "basic",
    username: "h",
    password: "hp",
  });
});

test("REGISTRY_AUTH_FILE, then $XDG_RUNTIME_DIR/containers/auth.json, then ~/.config/containers/auth.json", async () => {
  const explicit = await t.write("order/explicit.json", {
    auths: { "a.example": { auth: basicAuth("explicit", "1") } },
  });
  await t.write("order/run/containers/auth.json", {
    auths: {
      "a.example": { auth: basicAuth("runtime", "2") },
      "b.example": { auth: basicAuth("runtime", "2") },
    },
  });
  await t.write("home/.config/containers/auth.json", {
    auths: {
      "a.example": { auth: basicAuth("config", "3") },
      "b.example": { auth: basicAuth("config", "3") },
      "c.example": { auth: basicAuth("config", "3") },
    },
  });
  const s = source({ REGISTRY_AUTH_FILE: explicit, XDG_RUNTIME_DIR: path.join(t.root, "order/run") });
  assert.deepEqual(await s.get("a.example"), { kind: "basic", username: "explicit", password: "1" });
  assert.deepEqual(await s.get("b.example"), { kind: "basic", username: "runtime", password: "2" });
  assert.deepEqual(await s.get("c.example"), { kind: "basic", username: "config", password: "3" });
  assert.equal(await s.get("d.example"), undefined);
});

test("the docker config comes before podman's auth file", async () => {
  const dockerDir = path.dirname(
    await t.write("both/docker/config.json", { auths: { "quay.io": { auth: basicAuth("docker", "d") } } }),
  );
  const podman = await t.write("both/auth.json", {
    auths: { "quay.io": { auth: basicAuth("podman", "p") } },
  });
  const s = source({ DOCKER_CONFIG: dockerDir, REGISTRY_AUTH_FILE: podman });
  assert.deepEqual(await s.get("quay.io"), { kind: "basic", username: "docker", password: "d" });
});

test("a namespaced key applies to its namespace, and the longest matching key wins", async () => {
  const file = await t.write("ns/auth.json", {
    auths: {
      "quay.io": { auth: basicAuth("registry-wide", "r") },
      "quay.io/org": { auth: basicAuth("org", "o") },
      "quay.io/org/special": { auth: basicAuth("special", "s") },
      "ghcr.io/only-this-org": { auth: basicAuth("gh", "g") },
    },
  });
  const s = source({ REGISTRY_AUTH_FILE: file });
  assert.deepEqual(await s.get("quay.io"), { kind: "basic", username: "registry-wide", password: "r" });
  assert.deepEqual(await s.get("quay.io/org/app"), { kind: "basic", username: "org", password: "o" });
  assert.deepEqual(await s.get("quay.io/org/special/app"), {
    kind: "basic",
    username: "special",
    password: "s",
  });
  assert.deepEqual(await s.get("quay.io/organisation/app"), {
    kind: "basic",
    username: "registry-wide",
    password: "r",
  });
  assert.equal(await s.get("ghcr.io"), undefined, "a namespace's credential is not the whole registry's");
  assert.deepEqual(await s.get("ghcr.io/only-this-org/x"), { kind: "basic", username: "gh", password: "g" });
});

test("a malformed auth.json is a UsageError naming the file, without the secret", async () => {
  const file = await t.write(
    "bad/auth.json",
    `{"auths": {"quay.io": {"auth": "${basicAuth("u", "podman-secret-9")}"}`,
  );
  await assert.rejects(source({ REGISTRY_AUTH_FILE: file }).get("quay.io"), (error: Error) => {
    assert.ok(error instanceof UsageError);
    assert.ok(error.message.includes(file), error.message);
    assert.ok(!error.message.includes(basicAuth("u", "podman-secret-9")));
    assert.ok(!String(error.stack).includes("podman-secret-9"));
    return true;
  });
});

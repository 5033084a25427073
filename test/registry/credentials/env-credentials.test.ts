import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { UsageError } from "../../../src/errors.js";
import { CredentialConfigError, createCredentialSource } from "../../../src/registry/credentials/index.js";
import { basicAuth, makeTempHome, type TempHome } from "./temp-home.js";

let t: TempHome;
before(async () => {
  t = await makeTempHome();
});
after(() => t.remove());

function source(vars: NodeJS.ProcessEnv) {
  return createCredentialSource({ env: { ...t.env, ...vars }, homeDir: t.home });
}

test("CROSSDOCK_AUTH_<HOST>_USERNAME and _PASSWORD give basic credentials for that host only", async () => {
  const s = source({
    CROSSDOCK_AUTH_GHCR_IO_USERNAME: "ci-bot",
    CROSSDOCK_AUTH_GHCR_IO_PASSWORD: "pw-env-1",
  });
  assert.deepEqual(await s.get("ghcr.io"), { kind: "basic", username: "ci-bot", password: "pw-env-1" });
  assert.equal(await s.get("quay.io"), undefined);
  assert.match(s.describe("ghcr.io"), /CROSSDOCK_AUTH_GHCR_IO_USERNAME and CROSSDOCK_AUTH_GHCR_IO_PASSWORD/);
});

test("CROSSDOCK_AUTH_<HOST>_TOKEN alone is a registry token; a port becomes _", async () => {
  const s = source({ CROSSDOCK_AUTH_LOCALHOST_5000_TOKEN: "bearer-xyz" });
  assert.deepEqual(await s.get("localhost:5000"), { kind: "registry-token", token: "bearer-xyz" });
  assert.equal(await s.get("localhost:5001"), undefined);
});

test("GITHUB_TOKEN with GITHUB_ACTOR is used for ghcr.io and never for another host", async () => {
  const s = source({ GITHUB_TOKEN: "ghs_actions", GITHUB_ACTOR: "octocat" });
  assert.deepEqual(await s.get("ghcr.io"), { kind: "basic", username: "octocat", password: "ghs_actions" });
  for (const other of ["docker.io", "quay.io", "ghcr.io.example.com", "localhost:5000"]) {
    assert.equal(await s.get(other), undefined, other);
  }
});

test("GITHUB_TOKEN without GITHUB_ACTOR (a developer's shell, not Actions) is not sent", async () => {
  assert.equal(await source({ GITHUB_TOKEN: "ghp_local" }).get("ghcr.io"), undefined);
});

test("DOCKERHUB_USERNAME and DOCKERHUB_TOKEN serve every Docker Hub alias", async () => {
  const s = source({ DOCKERHUB_USERNAME: "hubuser", DOCKERHUB_TOKEN: "dckr_pat_x" });
  const expected = { kind: "basic", username: "hubuser", password: "dckr_pat_x" };
  for (const alias of [
    "docker.io",
    "index.docker.io",
    "registry-1.docker.io",
    "https://index.docker.io/v1/",
  ]) {
    assert.deepEqual(await s.get(alias), expected, alias);
  }
  assert.equal(await s.get("ghcr.io"), undefined);
});

test("CROSSDOCK_AUTH_DOCKER_IO_* applies to registry-1.docker.io and beats DOCKERHUB_*", async () => {
  const s = source({
    CROSSDOCK_AUTH_DOCKER_IO_TOKEN: "own-token",
    DOCKERHUB_USERNAME: "hubuser",
    DOCKERHUB_TOKEN: "dckr_pat_x",
  });
  assert.deepEqual(await s.get("registry-1.docker.io"), { kind: "registry-token", token: "own-token" });
});

test("empty variables count as unset (Actions expands a missing secret to an empty string)", async () => {
  const s = source({ CROSSDOCK_AUTH_GHCR_IO_TOKEN: "", GITHUB_TOKEN: "", GITHUB_ACTOR: "octocat" });
  assert.equal(await s.get("ghcr.io"), undefined);
});

test("environment variables come before the docker config", async () => {
  await t.write("env-first/config.json", { auths: { "ghcr.io": { auth: basicAuth("fromfile", "filepw") } } });
  const s = source({ DOCKER_CONFIG: `${t.root}/env-first`, CROSSDOCK_AUTH_GHCR_IO_TOKEN: "from-env" });
  assert.deepEqual(await s.get("ghcr.io"), { kind: "registry-token", token: "from-env" });
  const fileOnly = source({ DOCKER_CONFIG: `${t.root}/env-first` });
  assert.deepEqual(await fileOnly.get("ghcr.io"), {
    kind: "basic",
    username: "fromfile",
    password: "filepw",
  });
});

test("half a pair is a usage error naming the variables, without the secret", async () => {
  const s = source({ CROSSDOCK_AUTH_GHCR_IO_PASSWORD: "half-secret-77" });
  const error = await s.get("ghcr.io").then(
    () => assert.fail("expected an error"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof CredentialConfigError);
  assert.ok(error instanceof UsageError);
  assert.match(error.message, /CROSSDOCK_AUTH_GHCR_IO_USERNAME/);
  assert.ok(!String(error.stack).includes("half-secret-77"));
});

test("a token together with a user name is rejected as ambiguous, without either secret", async () => {
  const s = source({
    CROSSDOCK_AUTH_GHCR_IO_USERNAME: "u",
    CROSSDOCK_AUTH_GHCR_IO_PASSWORD: "pw-amb-1",
    CROSSDOCK_AUTH_GHCR_IO_TOKEN: "tok-amb-2",
  });
  await assert.rejects(s.get("ghcr.io"), (error: Error) => {
    assert.ok(error instanceof CredentialConfigError);
    assert.match(error.message, /CROSSDOCK_AUTH_GHCR_IO_TOKEN is set together with/);
    assert.ok(!error.message.includes("pw-amb-1") && !error.message.includes("tok-amb-2"));
    return true;
  });
});

import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, test } from "node:test";
import { formatError } from "../../../src/cli/format-error.js";
import { CredentialHelperError, createCredentialSource } from "../../../src/registry/credentials/index.js";
import { basicAuth, makeTempHome, type TempHome } from "./temp-home.js";

let t: TempHome;
before(async () => {
  t = await makeTempHome();
  await t.installHelper("test");
});
after(() => t.remove());

/** A source with a docker config in `<root>/<dir>/` and the helper steered by `helper` variables. */
async function withConfig(dir: string, config: unknown, helper: NodeJS.ProcessEnv, timeoutMs?: number) {
  const file = await t.write(`${dir}/config.json`, config);
  const env = { ...t.env, DOCKER_CONFIG: path.dirname(file), ...helper };
  return {
    file,
    source: createCredentialSource(
      timeoutMs === undefined
        ? { env, homeDir: t.home }
        : { env, homeDir: t.home, helperTimeoutMs: timeoutMs },
    ),
  };
}

test("credHelpers[host] runs docker-credential-<name> get with the bare host on stdin", async () => {
  const { source, file } = await withConfig(
    "credhelpers",
    { credHelpers: { "ghcr.io": "test" } },
    { HELPER_EXPECT_URL: "ghcr.io", HELPER_USERNAME: "helper-user", HELPER_SECRET: "helper-pw" },
  );
  assert.deepEqual(await source.get("ghcr.io"), {
    kind: "basic",
    username: "helper-user",
    password: "helper-pw",
  });
  assert.equal(
    source.describe("ghcr.io"),
    `credentials for ghcr.io from credential helper docker-credential-test (credHelpers["ghcr.io"] in ${file})`,
  );
  assert.equal(await source.get("quay.io"), undefined, "no helper and no entry for quay.io");
});

test("credsStore is asked for Docker Hub with https://index.docker.io/v1/, whatever alias is looked up", async () => {
  const log = path.join(t.root, "hub.log");
  const { source } = await withConfig(
    "credsstore-hub",
    { auths: { "https://index.docker.io/v1/": {} }, credsStore: "test" },
    {
      HELPER_EXPECT_URL: "https://index.docker.io/v1/",
      HELPER_USERNAME: "hubuser",
      HELPER_SECRET: "hub-pat",
      HELPER_LOG: log,
    },
  );
  assert.deepEqual(await source.get("registry-1.docker.io"), {
    kind: "basic",
    username: "hubuser",
    password: "hub-pat",
  });
  assert.equal(await readFile(log, "utf8"), "https://index.docker.io/v1/\n");
  assert.match(source.describe("docker.io"), /credential helper docker-credential-test \(credsStore in /);
});

test("a helper's Username <token> means the secret is an identity token", async () => {
  const { source } = await withConfig(
    "identity",
    { credsStore: "test" },
    { HELPER_EXPECT_URL: "myregistry.azurecr.io", HELPER_USERNAME: "<token>", HELPER_SECRET: "refresh-1" },
  );
  assert.deepEqual(await source.get("myregistry.azurecr.io"), { kind: "identity-token", token: "refresh-1" });
});

test("a 'credentials not found' answer means none, and the lookup goes on to auths", async () => {
  const { source } = await withConfig(
    "not-found",
    {
      credHelpers: { "ghcr.io": "test", "quay.io": "test" },
      auths: { "quay.io": { auth: basicAuth("q", "qpw") } },
    },
    { HELPER_EXPECT_URL: "some-other-host", HELPER_USERNAME: "x", HELPER_SECRET: "y" },
  );
  assert.equal(await source.get("ghcr.io"), undefined);
  assert.deepEqual(await source.get("quay.io"), { kind: "basic", username: "q", password: "qpw" });
});

test("credHelpers[host] comes before auths[host] and credsStore", async () => {
  const { source } = await withConfig(
    "order",
    {
      credHelpers: { "ghcr.io": "test" },
      auths: { "ghcr.io": { auth: basicAuth("from-auths", "a") } },
      credsStore: "missing-store",
    },
    { HELPER_EXPECT_URL: "ghcr.io", HELPER_USERNAME: "from-helper", HELPER_SECRET: "h" },
  );
  assert.deepEqual(await source.get("ghcr.io"), { kind: "basic", username: "from-helper", password: "h" });
});

test("results are cached per host: the helper runs once for repeated and concurrent lookups", async () => {
  const log = path.join(t.root, "cache.log");
  const { source } = await withConfig(
    "cache",
    { credsStore: "test" },
    { HELPER_EXPECT_URL: "ghcr.io", HELPER_USERNAME: "u", HELPER_SECRET: "p", HELPER_LOG: log },
  );
  const [a, b] = await Promise.all([source.get("ghcr.io"), source.get("https://ghcr.io")]);
  const c = await source.get("GHCR.io");
  assert.equal(a, b);
  assert.equal(a, c);
  assert.equal(await readFile(log, "utf8"), "ghcr.io\n");
});

test("a missing helper is a clear error naming the helper and the host", async () => {
  const { source } = await withConfig("missing", { credsStore: "nonexistent-xyz" }, {});
  await assert.rejects(source.get("ghcr.io"), (error: Error) => {
    assert.ok(error instanceof CredentialHelperError);
    assert.equal(error.code, "CREDENTIAL_HELPER");
    assert.equal(error.helper, "docker-credential-nonexistent-xyz");
    assert.equal(error.host, "ghcr.io");
    assert.equal(
      error.message,
      "credential helper docker-credential-nonexistent-xyz for ghcr.io is not installed: no such program on PATH",
    );
    return true;
  });
});

test("a failing helper's error says what it printed on stderr", async () => {
  const { source } = await withConfig(
    "fail",
    { credsStore: "test" },
    { HELPER_MODE: "fail", HELPER_SECRET: "zz-secret" },
  );
  await assert.rejects(source.get("ghcr.io"), (error: Error) => {
    assert.ok(error instanceof CredentialHelperError);
    assert.equal(
      error.message,
      "credential helper docker-credential-test for ghcr.io failed (exit code 3): keychain is locked",
    );
    return true;
  });
});

test("a helper answer that is not the protocol's JSON is an error that never quotes the output", async () => {
  const { source } = await withConfig(
    "garbage",
    { credsStore: "test" },
    { HELPER_MODE: "garbage", HELPER_SECRET: "leak-me-42" },
  );
  const error = await source.get("ghcr.io").then(
    () => assert.fail("expected an error"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof CredentialHelperError);
  assert.match(error.message, /answered with output that is not JSON/);
  assert.ok(!`${error.message}${error.stack}${formatError(error)}`.includes("leak-me-42"));
});

test("a helper that hangs is killed after the timeout; the failed lookup is not cached", async () => {
  const { source } = await withConfig("hang", { credsStore: "test" }, { HELPER_MODE: "hang" }, 300);
  const started = Date.now();
  await assert.rejects(
    source.get("ghcr.io"),
    /docker-credential-test for ghcr\.io did not answer within 0\.3 s/,
  );
  assert.ok(Date.now() - started < 5000, "returned well before the helper's 30 s sleep");
  await assert.rejects(source.get("ghcr.io"), CredentialHelperError);
});

test("an aborted signal rejects get() with the signal's reason", async () => {
  const { source } = await withConfig("abort", { credsStore: "test" }, { HELPER_MODE: "hang" }, 2000);
  const controller = new AbortController();
  const pending = source.get("ghcr.io", controller.signal);
  setTimeout(() => controller.abort(new Error("stop now")), 50);
  const started = Date.now();
  await assert.rejects(pending, /stop now/);
  assert.ok(Date.now() - started < 1500, "did not wait for the helper's timeout");
  await assert.rejects(source.get("ghcr.io", AbortSignal.abort(new Error("already"))), /already/);
  // Let the shared lookup finish (it times out) so no helper outlives the test.
  await assert.rejects(source.get("ghcr.io"), CredentialHelperError);
});

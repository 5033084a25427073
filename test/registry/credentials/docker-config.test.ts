import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";
import { formatError } from "../../../src/cli/format-error.js";
import { UsageError } from "../../../src/errors.js";
import { CredentialConfigError, createCredentialSource } from "../../../src/registry/credentials/index.js";
import { basicAuth, makeTempHome, type TempHome } from "./temp-home.js";

let t: TempHome;
before(async () => {
  t = await makeTempHome();
});
after(() => t.remove());

/** A source whose docker config is `<root>/<dir>/config.json` with `config` in it. */
async function withConfig(dir: string, config: unknown) {
  const file = await t.write(`${dir}/config.json`, config);
  return {
    file,
    source: createCredentialSource({ env: { ...t.env, DOCKER_CONFIG: path.dirname(file) }, homeDir: t.home }),
  };
}

/** Everything a user could see of an error: message, stack, and the CLI's one-line form. */
function visible(error: unknown): string {
  return error instanceof Error
    ? `${error.message}\n${error.stack}\n${formatError(error)}\n${String(error)}`
    : String(error);
}

test("auths with auth (base64 user:password)", async () => {
  const { source } = await withConfig("auth", {
    auths: { "ghcr.io": { auth: basicAuth("alice", "pa:ss") } },
  });
  assert.deepEqual(await source.get("ghcr.io"), { kind: "basic", username: "alice", password: "pa:ss" });
  assert.equal(await source.get("quay.io"), undefined);
});

test("auths with username and password fields", async () => {
  const { source } = await withConfig("fields", {
    auths: { "localhost:5000": { username: "bob", password: "pw2" } },
  });
  assert.deepEqual(await source.get("localhost:5000"), { kind: "basic", username: "bob", password: "pw2" });
});

test("auths with identitytoken gives an identity token, with the user name when there is one", async () => {
  const { source } = await withConfig("identity", {
    auths: {
      "myregistry.azurecr.io": {
        auth: basicAuth("00000000-0000-0000-0000-000000000000", ""),
        identitytoken: "rt-1",
      },
      "other.example.com": { identitytoken: "rt-2" },
    },
  });
  assert.deepEqual(await source.get("myregistry.azurecr.io"), {
    kind: "identity-token",
    username: "00000000-0000-0000-0000-000000000000",
    token: "rt-1",
  });
  assert.deepEqual(await source.get("other.example.com"), { kind: "identity-token", token: "rt-2" });
});

test("auths with registrytoken gives a registry token", async () => {
  const { source } = await withConfig("regtoken", { auths: { "ghcr.io": { registrytoken: "bearer-1" } } });
  assert.deepEqual(await source.get("ghcr.io"), { kind: "registry-token", token: "bearer-1" });
});

test("the Hub key https://index.docker.io/v1/ serves every Docker Hub alias", async () => {
  const { source, file } = await withConfig("hub", {
    auths: { "https://index.docker.io/v1/": { auth: basicAuth("hubuser", "hubpw") } },
  });
  for (const alias of [
    "docker.io",
    "index.docker.io",
    "registry-1.docker.io",
    "https://index.docker.io/v1/",
  ]) {
    assert.deepEqual(
      await source.get(alias),
      { kind: "basic", username: "hubuser", password: "hubpw" },
      alias,
    );
  }
  assert.equal(
    source.describe("registry-1.docker.io"),
    `credentials for docker.io from auths["https://index.docker.io/v1/"] in ${file}`,
  );
});

test("URL keys with a scheme and a path match their host", async () => {
  const { source } = await withConfig("urlkey", {
    auths: { "https://ghcr.io/v2/": { auth: basicAuth("u", "p") } },
  });
  assert.deepEqual(await source.get("ghcr.io"), { kind: "basic", username: "u", password: "p" });
});

test("~/.docker/config.json is read when DOCKER_CONFIG is not set", async () => {
  await t.write("home/.docker/config.json", {
    auths: { "ghcr.io": { auth: basicAuth("homeuser", "homepw") } },
  });
  const source = createCredentialSource({ env: t.env, homeDir: t.home });
  assert.deepEqual(await source.get("ghcr.io"), { kind: "basic", username: "homeuser", password: "homepw" });
});

test("the {} placeholder docker writes beside a credsStore is no credential", async () => {
  const { source } = await withConfig("empty-entry", { auths: { "ghcr.io": {} } });
  assert.equal(await source.get("ghcr.io"), undefined);
  assert.match(source.describe("ghcr.io"), /^no credentials for ghcr\.io \(looked in .*config\.json/);
});

test("a missing config file means no credentials, not an error", async () => {
  const source = createCredentialSource({
    env: { ...t.env, DOCKER_CONFIG: path.join(t.root, "nowhere") },
    homeDir: t.home,
  });
  assert.equal(await source.get("ghcr.io"), undefined);
});

test("a config file that is not JSON is a UsageError naming the file, never quoting the secret", async () => {
  // A password left unquoted: JSON.parse's own message would quote it ("..."assword": hunter2...").
  const secret = "hunter2-unquoted";
  const file = await t.write(
    "bad-json/config.json",
    `{"auths": {"ghcr.io": {"username": "u", "password": ${secret}}}}`,
  );
  const source = createCredentialSource({
    env: { ...t.env, DOCKER_CONFIG: path.dirname(file) },
    homeDir: t.home,
  });
  const error = await source.get("ghcr.io").then(
    () => assert.fail("expected an error"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof UsageError);
  assert.ok(error instanceof CredentialConfigError);
  assert.equal(error.code, "CREDENTIAL_CONFIG");
  assert.equal(error.origin, file);
  assert.match(error.message, /is not valid JSON/);
  assert.ok(error.message.includes(file), error.message);
  assert.ok(!visible(error).includes("hunter2"), visible(error));
});

test("an auth that is not base64 of user:password is a UsageError naming file and host, not the secret", async () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    ["not base64", "s3cr3t-pass!!"],
    ["base64 without a colon", Buffer.from("s3cr3t-pass-no-colon").toString("base64")],
  ];
  for (const [why, auth] of cases) {
    const { source, file } = await withConfig(`bad-auth-${why.replace(/\W/g, "-")}`, {
      auths: { "ghcr.io": { auth } },
    });
    await assert.rejects(source.get("ghcr.io"), (error: Error) => {
      assert.ok(error instanceof UsageError, why);
      assert.ok(error.message.includes(file), error.message);
      assert.match(
        error.message,
        /auths\["ghcr\.io"\] \(for ghcr\.io\): "auth" is not base64 of "user:password"/,
      );
      assert.ok(!visible(error).includes(auth), why);
      assert.ok(!visible(error).includes("s3cr3t-pass"), why);
      return true;
    });
  }
});

test("a broken entry for another registry does not stop a lookup", async () => {
  const { source } = await withConfig("other-broken", {
    auths: { "quay.io": { auth: "%%%" }, "ghcr.io": { auth: basicAuth("u", "p") } },
  });
  assert.deepEqual(await source.get("ghcr.io"), { kind: "basic", username: "u", password: "p" });
  await assert.rejects(source.get("quay.io"), UsageError);
});

test("a config of the wrong shape is a UsageError naming the file", async () => {
  for (const [name, config] of [
    ["array", []],
    ["auths-string", { auths: "ghcr.io" }],
    ["password-number", { auths: { "ghcr.io": { username: "u", password: 1234 } } }],
    ["helper-number", { credHelpers: { "ghcr.io": 1 } }],
  ] as const) {
    const { source, file } = await withConfig(`shape-${name}`, config);
    await assert.rejects(source.get("ghcr.io"), (error: Error) => {
      assert.ok(error instanceof UsageError, name);
      assert.ok(error.message.includes(file), error.message);
      assert.ok(!error.message.includes("1234"), name);
      return true;
    });
  }
});

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { after, before, test } from "node:test";
import { createSyntheticImage } from "../../src/oci/synthetic.js";
import { parseAuthFile } from "../../src/serve/auth-file.js";
import type { DistributionRegistry } from "../helpers/distribution.js";
import { seedImage } from "../helpers/seed.js";
import { startServeRegistry } from "../helpers/serve.js";
import { skipUnless } from "../helpers/tools.js";

const hashed = createHash("sha256").update("hunter2").digest("hex");
const auth = parseAuthFile(`# users\nalice:s3cret\nbob:sha256:${hashed}\npublic: pub/*\n`);
const image = createSyntheticImage({ seed: "auth", index: false });

let registry: DistributionRegistry;
before(async () => {
  registry = await startServeRegistry({ auth });
  const token = await getToken(
    "repository:pub/app:pull,push repository:priv/app:pull,push",
    "alice",
    "s3cret",
  );
  await seedImage(registry.url, "pub/app", image, "1", `Bearer ${token}`);
  await seedImage(registry.url, "priv/app", image, "1", `Bearer ${token}`);
});
after(async () => {
  await registry.stop();
});

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

async function tokenResponse(scope: string, user?: string, password?: string): Promise<Response> {
  const url = new URL("/token", registry.url);
  url.searchParams.set("service", "crossdock");
  url.searchParams.set("scope", scope);
  return await fetch(url, {
    headers: user === undefined ? {} : { authorization: basic(user, password ?? "") },
  });
}

async function getToken(scope: string, user?: string, password?: string): Promise<string> {
  const response = await tokenResponse(scope, user, password);
  assert.equal(response.status, 200);
  const body = (await response.json()) as {
    token: string;
    access_token: string;
    expires_in: number;
    issued_at: string;
  };
  assert.equal(body.token, body.access_token);
  assert.ok(body.expires_in > 0 && !Number.isNaN(Date.parse(body.issued_at)));
  return body.token;
}

/** Parses `Bearer realm="...",service="...",scope="..."`. */
function parseChallenge(header: string | null): Record<string, string> {
  if (header === null || !header.startsWith("Bearer ")) assert.fail(`not a bearer challenge: ${header}`);
  return Object.fromEntries([...header.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
}

test("requests without a token get a Bearer challenge shaped like GHCR's, with the scope they need", async () => {
  const ping = await fetch(`${registry.url}/v2/`);
  await ping.arrayBuffer();
  assert.equal(ping.status, 401);
  assert.deepEqual(parseChallenge(ping.headers.get("www-authenticate")), {
    realm: `${registry.url}/token`,
    service: "crossdock",
  });
  const pull = await fetch(`${registry.url}/v2/priv/app/manifests/1`);
  assert.equal(pull.status, 401);
  assert.equal(((await pull.json()) as { errors: { code: string }[] }).errors[0]?.code, "UNAUTHORIZED");
  assert.equal(parseChallenge(pull.headers.get("www-authenticate"))["scope"], "repository:priv/app:pull");
  const push = await fetch(`${registry.url}/v2/priv/app/blobs/uploads/`, { method: "POST" });
  await push.arrayBuffer();
  assert.equal(
    parseChallenge(push.headers.get("www-authenticate"))["scope"],
    "repository:priv/app:pull,push",
  );
});

test("a private repository refuses anonymous pulls and serves users; a public one serves anyone", async () => {
  const anonymous = await getToken("repository:priv/app:pull");
  const refused = await fetch(`${registry.url}/v2/priv/app/manifests/1`, {
    headers: { authorization: `Bearer ${anonymous}` },
  });
  await refused.arrayBuffer();
  assert.equal(refused.status, 401);
  assert.equal(parseChallenge(refused.headers.get("www-authenticate"))["error"], "insufficient_scope");
  const bobs = await getToken("repository:priv/app:pull", "bob", "hunter2");
  const served = await fetch(`${registry.url}/v2/priv/app/manifests/1`, {
    headers: { authorization: `Bearer ${bobs}` },
  });
  assert.equal(served.status, 200);
  assert.equal(served.headers.get("docker-content-digest"), image.root.digest);
  await served.arrayBuffer();
  const publicToken = await getToken("repository:pub/app:pull,push");
  const pub = await fetch(`${registry.url}/v2/pub/app/manifests/1`, {
    headers: { authorization: `Bearer ${publicToken}` },
  });
  await pub.arrayBuffer();
  assert.equal(pub.status, 200);
  const anonymousPush = await fetch(`${registry.url}/v2/pub/app/blobs/uploads/`, {
    method: "POST",
    headers: { authorization: `Bearer ${publicToken}` },
  });
  await anonymousPush.arrayBuffer();
  assert.equal(anonymousPush.status, 401, "anonymous tokens never carry push");
});

test("a repository created by a push is private until it matches a public pattern", async () => {
  const alices = await getToken("repository:fresh/app:pull,push", "alice", "s3cret");
  await seedImage(registry.url, "fresh/app", image, "1", `Bearer ${alices}`);
  const anonymous = await getToken("repository:fresh/app:pull");
  const refused = await fetch(`${registry.url}/v2/fresh/app/manifests/1`, {
    method: "HEAD",
    headers: { authorization: `Bearer ${anonymous}` },
  });
  assert.equal(refused.status, 401);
});

test("a mount needs pull on the source: a token without it is challenged for that scope, as distribution does", async () => {
  const layer = image.blobs[image.blobs.length - 1]!;
  const target = `${registry.url}/v2/mnt/app/blobs/uploads/?mount=${layer.digest}&from=priv/app`;
  const pushOnly = await getToken("repository:mnt/app:pull,push", "alice", "s3cret");
  const challenged = await fetch(target, {
    method: "POST",
    headers: { authorization: `Bearer ${pushOnly}` },
  });
  await challenged.arrayBuffer();
  assert.equal(challenged.status, 401, "not a 202 session that hides why the mount did not happen");
  const challenge = parseChallenge(challenged.headers.get("www-authenticate"));
  assert.equal(challenge["scope"], "repository:mnt/app:pull,push repository:priv/app:pull");
  assert.equal(challenge["error"], "insufficient_scope");
  const asked = await getToken(challenge["scope"]!, "alice", "s3cret");
  const mounted = await fetch(target, { method: "POST", headers: { authorization: `Bearer ${asked}` } });
  await mounted.arrayBuffer();
  assert.equal(mounted.status, 201);
  assert.equal(mounted.headers.get("docker-content-digest"), layer.digest);
  const anonymous = await getToken("repository:priv/app:pull repository:pub/app:pull,push");
  const refused = await fetch(
    `${registry.url}/v2/pub/app/blobs/uploads/?mount=${layer.digest}&from=priv/app`,
    { method: "POST", headers: { authorization: `Bearer ${anonymous}` } },
  );
  await refused.arrayBuffer();
  assert.equal(refused.status, 401, "an anonymous token reads no private source and pushes nowhere");
});

test("the token endpoint refuses a wrong password and forged tokens get nowhere", async () => {
  const wrong = await tokenResponse("repository:priv/app:pull", "alice", "nope");
  await wrong.arrayBuffer();
  assert.equal(wrong.status, 401);
  const token = await getToken("repository:priv/app:pull", "alice", "s3cret");
  const [header, , signature] = token.split(".");
  const forgedClaims = Buffer.from(
    JSON.stringify({
      iss: "crossdock",
      sub: "mallory",
      aud: "crossdock",
      iat: 0,
      exp: 4e9,
      access: [{ type: "repository", name: "priv/app", actions: ["*"] }],
    }),
  ).toString("base64url");
  const forged = await fetch(`${registry.url}/v2/priv/app/manifests/1`, {
    headers: { authorization: `Bearer ${header}.${forgedClaims}.${signature}` },
  });
  await forged.arrayBuffer();
  assert.equal(forged.status, 401);
});

test("POST /token takes a password grant and then a refresh token", async () => {
  const form = new URLSearchParams({
    grant_type: "password",
    username: "alice",
    password: "s3cret",
    service: "crossdock",
    scope: "repository:priv/app:pull",
    access_type: "offline",
    client_id: "test",
  });
  const first = await fetch(`${registry.url}/token`, { method: "POST", body: form });
  assert.equal(first.status, 200);
  const { refresh_token: refresh } = (await first.json()) as { refresh_token: string };
  const again = new URLSearchParams({
    grant_type: "refresh_token",
    refresh_token: refresh,
    service: "crossdock",
    scope: "repository:priv/app:pull",
    client_id: "test",
  });
  const second = await fetch(`${registry.url}/token`, { method: "POST", body: again });
  const { access_token: access } = (await second.json()) as { access_token: string };
  const served = await fetch(`${registry.url}/v2/priv/app/manifests/1`, {
    method: "HEAD",
    headers: { authorization: `Bearer ${access}` },
  });
  assert.equal(served.status, 200);
});

test("the access log names the user a token was issued to", async () => {
  const token = await getToken("repository:priv/app:pull", "alice", "s3cret");
  registry.clearAccessLog();
  await (
    await fetch(`${registry.url}/v2/priv/app/tags/list`, { headers: { authorization: `Bearer ${token}` } })
  ).arrayBuffer();
  assert.deepEqual(
    registry.accessLog().map((e) => [e.method, e.path, e.status]),
    [["GET", "/v2/priv/app/tags/list", 200]],
  );
});

/** Runs skopeo; resolves with its exit code and stderr (auth failures are expected here). */
async function skopeo(args: string[]): Promise<{ code: number; stderr: string }> {
  return await new Promise((resolve) => {
    execFile("skopeo", args, { timeout: 60_000 }, (error, _stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : 1, stderr });
    });
  });
}

test("skopeo follows the challenge to the token endpoint: credentials pull a private repository, anonymous cannot", {
  skip: skipUnless("skopeo"),
}, async () => {
  const ref = `docker://${registry.host}/priv/app:1`;
  const anonymous = await skopeo(["inspect", "--raw", "--tls-verify=false", "--no-creds", ref]);
  assert.notEqual(anonymous.code, 0);
  const withCreds = await skopeo(["inspect", "--raw", "--tls-verify=false", "--creds", "alice:s3cret", ref]);
  assert.equal(withCreds.code, 0, withCreds.stderr);
  const pub = await skopeo([
    "inspect",
    "--raw",
    "--tls-verify=false",
    "--no-creds",
    `docker://${registry.host}/pub/app:1`,
  ]);
  assert.equal(pub.code, 0, pub.stderr);
  const push = await skopeo([
    "copy",
    "--src-tls-verify=false",
    "--dest-tls-verify=false",
    "--dest-creds",
    "bob:hunter2",
    ref.replace("priv/app", "pub/app"),
    `docker://${registry.host}/bob/copy:1`,
  ]);
  assert.equal(push.code, 0, push.stderr);
});

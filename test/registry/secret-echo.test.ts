/**
 * A recognisable secret planted everywhere a registry, a token server or a credential helper can
 * echo it back; no output of the CLI (text, --json, crossdock.lock, the report) may show it.
 */
import assert from "node:assert/strict";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { redactSecrets } from "../../src/redact-secrets.js";
import { type CliRun, runCli } from "../helpers/run-cli.js";
import { type ScriptedServer, startScriptedServer } from "../helpers/scripted-server.js";
import { startServeRegistry } from "../helpers/serve.js";

const user = "alice";
const password = "PLANTED-pw-7f3a9c";
const pair = Buffer.from(`${user}:${password}`).toString("base64");
const token = "PLANTED-token-5b2e";
const forbidden = [password, pair, token, "PLANTED"];

/** What a server echoes: the Authorization header it was sent, and that credential's parts, raw. */
function echo(headers: Record<string, unknown>): string {
  const header = String(headers["authorization"]);
  const [scheme = "", value = ""] = header.split(" ");
  const parts =
    scheme === "Basic" ? `raw ${value}; user:password ${Buffer.from(value, "base64")}` : `token ${value}`;
  return `you sent Authorization: ${header}; ${parts}`;
}

function deny(res: import("node:http").ServerResponse, message: string): void {
  res
    .writeHead(403, { "content-type": "application/json" })
    .end(JSON.stringify({ errors: [{ code: "DENIED", message, detail: message }] }));
}

/**
 * Basic auth: answers every authorized GET with a 403 quoting it; a HEAD (which has no body to
 * quote in) finds a manifest, so a copy goes on to the GET.
 */
function basicRegistry(): Promise<ScriptedServer> {
  return startScriptedServer((req, res) => {
    if (req.headers.authorization === undefined)
      return void res.writeHead(401, { "www-authenticate": 'Basic realm="planted"' }).end();
    if (req.method === "HEAD" && req.url.includes("/manifests/")) {
      return void res
        .writeHead(200, {
          "content-type": "application/vnd.oci.image.manifest.v1+json",
          "docker-content-digest": `sha256:${"1".repeat(64)}`,
          "content-length": "100",
        })
        .end();
    }
    deny(res, echo(req.headers));
  });
}

/** Token auth: the token server hands out the planted token (or, `garbage`, echoes the request as text). */
function bearerRegistry(garbage: boolean): Promise<ScriptedServer> {
  const server = startScriptedServer((req, res) => {
    if (req.url.startsWith("/token")) {
      if (garbage) return void res.writeHead(200, { "content-type": "text/plain" }).end(echo(req.headers));
      return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ token }));
    }
    if (req.headers.authorization === undefined) {
      return void res
        .writeHead(401, {
          "www-authenticate": `Bearer realm="http://${req.headers.host}/token",service="planted"`,
        })
        .end();
    }
    deny(res, echo(req.headers));
  });
  return server;
}

function envCredentials(host: string): NodeJS.ProcessEnv {
  const key = host.toUpperCase().replace(/[^A-Z0-9]/g, "_");
  return { [`CROSSDOCK_AUTH_${key}_USERNAME`]: user, [`CROSSDOCK_AUTH_${key}_PASSWORD`]: password };
}

function assertClean(what: string, text: string): void {
  for (const secret of forbidden) assert.ok(!text.includes(secret), `${what} shows ${secret}:\n${text}`);
}

function outputOf(run: CliRun): string {
  return `${run.stdout}\n${run.stderr}`;
}

describe("no output shows a secret a registry, token server or credential helper echoes", () => {
  let home: string;
  let baseEnv: NodeJS.ProcessEnv;
  before(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "crossdock-secret-echo-"));
    await mkdir(path.join(home, "docker"));
    baseEnv = { HOME: home, DOCKER_CONFIG: path.join(home, "docker"), XDG_RUNTIME_DIR: home };
  });
  after(async () => {
    await rm(home, { recursive: true, force: true });
  });

  for (const [name, start] of [
    ["a 403 body quoting a basic Authorization", basicRegistry],
    ["a 403 body quoting a bearer token", () => bearerRegistry(false)],
    ["a token server answering with the request as text", () => bearerRegistry(true)],
  ] as const)
    test(name, async () => {
      const server = await start();
      try {
        const env = { ...baseEnv, ...envCredentials(server.host) };
        const ref = `${server.host}/proj/app:v1`;
        const runs = [
          await runCli(["inspect", ref], { env }),
          await runCli(["inspect", "--json", ref], { env }),
          await runCli(["tags", "--json", `${server.host}/proj/app`], { env }),
          await runCli(["copy", "--json", ref, `oci:${path.join(home, "out")}:v1`], { env }),
        ];
        assert.ok(
          server.requests.some((r) => r.headers.authorization !== undefined),
          "the credentials were sent, so there was something to echo",
        );
        for (const run of runs) {
          assert.notEqual(run.code, 0);
          assert.match(outputOf(run), /403|DENIED|token server/, "the error still says what happened");
          assertClean("the CLI", outputOf(run));
        }
      } finally {
        await server.stop();
      }
    });

  test("a credential helper that prints the secret on stderr", async () => {
    const server = await basicRegistry();
    const config = path.join(home, "helper-config");
    try {
      await mkdir(config, { recursive: true });
      await writeFile(
        path.join(config, "config.json"),
        JSON.stringify({ credHelpers: { [server.host]: "planted" } }),
      );
      const helper = path.join(config, "docker-credential-planted");
      await writeFile(
        helper,
        `#!/bin/sh\necho "unlock failed for Authorization: Basic ${pair} password=${password} (Bearer ${token})" >&2\nexit 3\n`,
      );
      await chmod(helper, 0o755);
      const env = { ...baseEnv, DOCKER_CONFIG: config, PATH: `${config}:${process.env["PATH"]}` };
      const run = await runCli(["inspect", `${server.host}/proj/app:v1`], { env });
      assert.notEqual(run.code, 0);
      assert.match(run.stderr, /docker-credential-planted .*failed \(exit code 3\): unlock failed for/);
      assertClean("a helper's failure", outputOf(run));
    } finally {
      await server.stop();
    }
  });

  test("migrate: the summary, --json, crossdock.lock and the report", async () => {
    const source = await basicRegistry();
    const target = await startServeRegistry();
    const repo = path.join(home, "repo");
    try {
      await mkdir(repo, { recursive: true });
      await writeFile(path.join(repo, "deploy.yaml"), `image: ${source.host}/proj/app:v1\n`);
      const env = { ...baseEnv, ...envCredentials(source.host) };
      const map = `${source.host}/proj=${target.host}/proj`;
      const text = await runCli(["migrate", repo, "--map", map], { env });
      const json = await runCli(["migrate", "--json", repo, "--map", map], { env });
      assert.equal(text.code, 1, text.stderr);
      const report = await readFile(path.join(repo, "crossdock-report.md"), "utf8");
      const lock = await readFile(path.join(repo, "crossdock.lock"), "utf8");
      assert.match(report, /403|DENIED/, "the report says why the copy failed");
      for (const [what, out] of [
        ["migrate", outputOf(text)],
        ["migrate --json", outputOf(json)],
        ["crossdock-report.md", report],
        ["crossdock.lock", lock],
      ] as const)
        assertClean(what, out);
    } finally {
      await target.stop();
      await source.stop();
    }
  });
});

test("redactSecrets hides every form a credential travels in, and leaves image text alone", () => {
  const text = [
    `Authorization: Basic ${pair}`,
    `authorization="Bearer ${token}"`,
    `raw ${pair}`,
    `https://${user}:${password}@registry.example/v2/`,
    `{"password":"${password}","identitytoken":"${token}"}`,
    `refresh_token=${token}&scope=x`,
    "jwt eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl",
  ].join("\n");
  const out = redactSecrets(text, [password]);
  for (const secret of [...forbidden, "eyJhbGciOiJSUzI1NiJ9"]) assert.ok(!out.includes(secret), out);
  assert.equal(out.split("[redacted]").length - 1, 8);
  const plain =
    "manifest ghcr.io/kubeflow/katib/katib-controller:v0.18.0@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa: 403 Forbidden (requested access to the resource is denied)";
  assert.equal(redactSecrets(plain), plain);
});

test("a refused token request says once where the credentials came from", async () => {
  const server = await startScriptedServer((req, res) => {
    if (req.url.startsWith("/token")) return void res.writeHead(401).end();
    res.writeHead(401, { "www-authenticate": `Bearer realm="http://${req.headers.host}/token"` }).end();
  });
  const home = await mkdtemp(path.join(os.tmpdir(), "crossdock-token-refused-"));
  try {
    const run = await runCli(["inspect", `${server.host}/proj/app:v1`], {
      env: { HOME: home, DOCKER_CONFIG: home, ...envCredentials(server.host) },
    });
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /token server answered 401 \(credentials for 127\.0\.0\.1:\d+ from environment variables CROSSDOCK_AUTH_/,
    );
    assert.doesNotMatch(run.stderr, /credentials from credentials/);
  } finally {
    await rm(home, { recursive: true, force: true });
    await server.stop();
  }
});

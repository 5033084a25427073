import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { createSyntheticImage } from "../../src/oci/synthetic.js";
import { parseReference } from "../../src/reference/reference.js";
import { RegistryClient } from "../../src/registry/client.js";
import type { CredentialSource } from "../../src/registry/credentials/types.js";
import { RegistryError } from "../../src/registry/errors.js";
import { type ScriptedServer, type SeenRequest, startScriptedServer } from "../helpers/scripted-server.js";
import { skipUnless } from "../helpers/tools.js";

const execFileAsync = promisify(execFile);
const image = createSyntheticImage({ seed: "insecure", index: false });

/**
 * This machine's own non-loopback IPv4 address: the rules differ for loopback, so these tests
 * need another local address (traffic to it never leaves the host).
 */
function localNonLoopbackAddress(): string | undefined {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const address of list ?? [])
      if (address.family === "IPv4" && !address.internal) return address.address;
  }
  return undefined;
}

const address = localNonLoopbackAddress();

/** A tiny registry: /v2/ and one manifest; Basic auth required when `basic` is set. */
function registryHandler(basic: boolean) {
  return (req: SeenRequest, res: import("node:http").ServerResponse): void => {
    if (basic && req.headers.authorization === undefined) {
      res.writeHead(401, { "www-authenticate": 'Basic realm="insecure"' });
      res.end();
      return;
    }
    if (req.url === "/v2/") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
      return;
    }
    res.writeHead(200, { "content-type": image.root.mediaType, "docker-content-digest": image.root.digest });
    res.end(Buffer.from(image.root.bytes));
  };
}

const credentials: CredentialSource = {
  get: async () => ({ kind: "basic", username: "user", password: "never-sent" }),
  describe: () => "the test's fixed credential",
};

describe("insecure registries on a non-loopback address", {
  skip: address === undefined ? "no non-loopback IPv4 address on this machine" : skipUnless("openssl"),
}, () => {
  let dir: string;
  let plain: ScriptedServer;
  let plainBasic: ScriptedServer;
  let tls: https.Server;
  let tlsHost: string;
  const clients: RegistryClient[] = [];
  const newClient = (options: ConstructorParameters<typeof RegistryClient>[0]): RegistryClient => {
    const client = new RegistryClient({ retryBaseMs: 10, maxRetries: 1, ...options });
    clients.push(client);
    return client;
  };

  before(async () => {
    plain = await startScriptedServer(registryHandler(false), address);
    plainBasic = await startScriptedServer(registryHandler(true), address);
    dir = await mkdtemp(path.join(os.tmpdir(), "crossdock-tls-"));
    await execFileAsync("openssl", [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=self-signed",
      "-keyout",
      path.join(dir, "key.pem"),
      "-out",
      path.join(dir, "cert.pem"),
    ]);
    const handler = registryHandler(false);
    tls = https.createServer(
      { key: await readFile(path.join(dir, "key.pem")), cert: await readFile(path.join(dir, "cert.pem")) },
      (req, res) => {
        req.resume();
        req.on("end", () =>
          handler(
            { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.alloc(0) },
            res,
          ),
        );
      },
    );
    await new Promise<void>((resolve) => tls.listen(0, address, resolve));
    tlsHost = `${address}:${(tls.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const client of clients) await client.close();
    await plain?.stop();
    await plainBasic?.stop();
    tls?.closeAllConnections();
    await new Promise<void>((resolve) => (tls ? tls.close(() => resolve()) : resolve()));
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  test("plain HTTP needs --insecure-registry; with it, HTTPS is tried, then plain HTTP", async () => {
    await assert.rejects(newClient({}).ping(plain.host), (error: unknown) => {
      assert.ok(error instanceof RegistryError);
      assert.equal(error.code, "UNREACHABLE");
      assert.match(error.message, /--insecure-registry/);
      return true;
    });
    const client = newClient({ insecureHosts: [plain.host] });
    const fetched = await client.getManifest(parseReference(`${plain.host}/app:1`));
    assert.equal(fetched.digest, image.root.digest);
  });

  test("a self-signed certificate is refused unless the host is insecure", async () => {
    await assert.rejects(newClient({}).ping(tlsHost), /TLS|certificate|--insecure-registry/);
    // by host name alone (no port), as --insecure-registry also allows
    const client = newClient({ insecureHosts: [address ?? ""] });
    assert.equal((await client.getManifest(parseReference(`${tlsHost}/app:1`))).digest, image.root.digest);
  });

  test("basic credentials are never sent over plain HTTP to a non-loopback host", async () => {
    const client = newClient({ insecureHosts: [plainBasic.host], credentials });
    await assert.rejects(client.getManifest(parseReference(`${plainBasic.host}/app:1`)), (error: unknown) => {
      assert.ok(error instanceof RegistryError);
      assert.equal(error.code, "INSECURE_CREDENTIALS");
      assert.doesNotMatch(error.message, /never-sent/);
      return true;
    });
    assert.ok(plainBasic.requests.length > 0);
    assert.ok(plainBasic.requests.every((r) => r.headers.authorization === undefined));
  });
});

import assert from "node:assert/strict";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { createSyntheticImage } from "../../src/oci/synthetic.js";
import { parseReference } from "../../src/reference/reference.js";
import { RegistryClient } from "../../src/registry/client.js";
import { createCredentialSource } from "../../src/registry/credentials/index.js";
import { type DistributionRegistry, startDistribution } from "../helpers/distribution.js";
import { fixturePath } from "../helpers/paths.js";
import { seedImage } from "../helpers/seed.js";
import { startTokenServer, type TokenServer } from "../helpers/token-server.js";
import { skipUnless } from "../helpers/tools.js";

const user = "tester";
const password = "s3cret-pass";
const basicHeader = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

/** An environment with nothing of the developer's own: only what the test writes. */
function isolatedEnv(home: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  return { HOME: home, PATH: process.env["PATH"] ?? "/usr/bin:/bin", ...extra };
}

describe("credentials from a docker config, through the client", {
  skip: skipUnless("docker-registry", "openssl"),
}, () => {
  let dir: string;
  let basicRegistry: DistributionRegistry;
  let tokens: TokenServer;
  let tokenRegistry: DistributionRegistry;
  const clients: RegistryClient[] = [];
  const image = createSyntheticImage({ seed: "credentials-config", index: false });

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "crossdock-creds-"));
    basicRegistry = await startDistribution({
      authYaml: `  htpasswd:\n    realm: basic-realm\n    path: ${fixturePath("registry", "htpasswd")}`,
    });
    await seedImage(basicRegistry.url, "private/app", image, "1.0", basicHeader);
    tokens = await startTokenServer({ users: { [user]: password } });
    tokenRegistry = await startDistribution({ authYaml: tokens.authYaml });
  });
  after(async () => {
    for (const client of clients) await client.close();
    await basicRegistry?.stop();
    await tokenRegistry?.stop();
    await tokens?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  test("`auths` in $DOCKER_CONFIG/config.json authenticates basic auth", async () => {
    const configDir = path.join(dir, "auths");
    await mkdir(configDir, { recursive: true });
    const auth = Buffer.from(`${user}:${password}`).toString("base64");
    await writeFile(
      path.join(configDir, "config.json"),
      JSON.stringify({ auths: { [basicRegistry.host]: { auth } } }),
    );
    const credentials = createCredentialSource({
      env: isolatedEnv(dir, { DOCKER_CONFIG: configDir }),
      homeDir: dir,
    });
    const client = new RegistryClient({ credentials });
    clients.push(client);
    const fetched = await client.getManifest(parseReference(`${basicRegistry.host}/private/app:1.0`));
    assert.equal(fetched.digest, image.root.digest);
  });

  test("a docker-credential-test helper on PATH (credHelpers) authenticates with the token server", async () => {
    const configDir = path.join(dir, "helper");
    const binDir = path.join(dir, "bin");
    await mkdir(configDir, { recursive: true });
    await mkdir(binDir, { recursive: true });
    const askedFile = path.join(dir, "helper-asked");
    // The docker-credential-* protocol: `get` reads the server URL on stdin, writes JSON on stdout.
    const script = [
      "#!/bin/sh",
      '[ "$1" = get ] || exit 1',
      `read -r server; printf '%s' "$server" > ${JSON.stringify(askedFile)}`,
      `printf '{"ServerURL":"%s","Username":"${user}","Secret":"${password}"}' "$server"`,
    ].join("\n");
    await writeFile(path.join(binDir, "docker-credential-test"), `${script}\n`);
    await chmod(path.join(binDir, "docker-credential-test"), 0o755);
    await writeFile(
      path.join(configDir, "config.json"),
      JSON.stringify({ credHelpers: { [tokenRegistry.host]: "test" } }),
    );
    const env = isolatedEnv(dir, {
      DOCKER_CONFIG: configDir,
      PATH: `${binDir}:${process.env["PATH"] ?? ""}`,
    });
    const client = new RegistryClient({ credentials: createCredentialSource({ env, homeDir: dir }) });
    clients.push(client);
    const repo = parseReference(`${tokenRegistry.host}/helped/app:1.0`);
    for (const blob of image.blobs) await client.pushBlob(repo, blob.digest, blob.size, blob.bytes);
    await client.putManifest(repo, image.root.bytes, image.root.mediaType);
    assert.deepEqual(await client.listTags(repo), ["1.0"]);
    assert.equal(await readFile(askedFile, "utf8"), tokenRegistry.host, "the helper was asked for this host");
    assert.ok(tokens.grants.length > 0 && tokens.grants.every((g) => g.user === user && g.status === 200));
  });
});

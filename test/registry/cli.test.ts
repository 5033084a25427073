import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { createSyntheticImage } from "../../src/oci/synthetic.js";
import { type DistributionRegistry, freePort, startDistribution } from "../helpers/distribution.js";
import { cliPath, fixturePath } from "../helpers/paths.js";
import { seedImage } from "../helpers/seed.js";
import { skipUnless } from "../helpers/tools.js";

interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs bin/crossdock.js as a user would, with a home and docker config of the test's own. */
async function runCli(args: readonly string[], home: string): Promise<RunResult> {
  const env = {
    PATH: process.env["PATH"] ?? "/usr/bin:/bin",
    HOME: home,
    DOCKER_CONFIG: path.join(home, ".docker"),
  };
  return await new Promise((resolve) => {
    execFile(process.execPath, [cliPath, ...args], { env, timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Asserts a failure reported as one `crossdock: ...` line, without a stack trace. */
function assertOneLineError(result: RunResult, pattern: RegExp): void {
  const lines = result.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, `one line on stderr, got: ${result.stderr}`);
  assert.match(lines[0] ?? "", /^crossdock: /);
  assert.match(lines[0] ?? "", pattern);
  assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
}

describe("crossdock inspect and tags (CLI as a child process)", {
  skip: skipUnless("docker-registry"),
}, () => {
  let home: string;
  let open: DistributionRegistry;
  let locked: DistributionRegistry;
  const image = createSyntheticImage({ seed: "cli-inspect", layerSizes: [1000, 3000] });

  before(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "crossdock-cli-home-"));
    open = await startDistribution();
    await seedImage(open.url, "team/app", image, "1.0");
    await seedImage(open.url, "team/app", image, "1.1");
    locked = await startDistribution({
      authYaml: `  htpasswd:\n    realm: basic-realm\n    path: ${fixturePath("registry", "htpasswd")}`,
    });
    const auth = Buffer.from("tester:not-the-password").toString("base64");
    await mkdir(path.join(home, ".docker"), { recursive: true });
    await writeFile(
      path.join(home, ".docker", "config.json"),
      JSON.stringify({ auths: { [locked.host]: { auth } } }),
    );
  });
  after(async () => {
    await open?.stop();
    await locked?.stop();
    if (home !== undefined) await rm(home, { recursive: true, force: true });
  });

  test("inspect prints digest, media type, platforms with digests, and total size", async () => {
    const text = await runCli(["inspect", `${open.host}/team/app:1.0`], home);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`Digest: +${image.root.digest}`));
    for (const manifest of image.manifests.filter((m) => m.platform !== undefined)) {
      assert.match(text.stdout, new RegExp(`linux/(amd64|arm64) +${manifest.digest}`));
    }
    const json = await runCli(["inspect", "--json", `${open.host}/team/app:1.0`], home);
    assert.equal(json.code, 0, json.stderr);
    const summary = JSON.parse(json.stdout) as {
      digest: string;
      mediaType: string;
      platforms: { platform: string; digest: string }[];
      totalSize: number;
    };
    assert.equal(summary.digest, image.root.digest);
    assert.equal(summary.mediaType, image.root.mediaType);
    assert.deepEqual(
      summary.platforms.map((p) => `${p.platform} ${p.digest}`).sort(),
      image.manifests
        .filter((m) => m.platform !== undefined)
        .map((m) => `${m.platform?.os}/${m.platform?.architecture} ${m.digest}`)
        .sort(),
    );
    const expectedTotal = [...image.manifests, ...image.blobs].reduce((sum, x) => sum + x.size, 0);
    assert.equal(summary.totalSize, expectedTotal);
  });

  test("tags lists every tag; a tag in the argument is bad usage (exit 2)", async () => {
    const result = await runCli(["tags", "--json", `${open.host}/team/app`], home);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual((JSON.parse(result.stdout) as string[]).sort(), ["1.0", "1.1"]);
    const plain = await runCli(["tags", `${open.host}/team/app`], home);
    assert.deepEqual(plain.stdout.trim().split("\n").sort(), ["1.0", "1.1"]);
    const usage = await runCli(["tags", `${open.host}/team/app:1.0`], home);
    assert.equal(usage.code, 2);
  });

  test("wrong credentials: one clear line, exit 1, no secret", async () => {
    const result = await runCli(["inspect", `${locked.host}/team/app:1.0`], home);
    assert.equal(result.code, 1);
    assertOneLineError(result, /401/);
    assert.match(result.stderr, /credentials/);
    assert.doesNotMatch(result.stderr, /not-the-password|dGVzdGVy/);
  });

  test("an unknown registry (refused port, unresolvable name): one clear line, exit 1", async () => {
    const port = await freePort();
    const refused = await runCli(["inspect", `127.0.0.1:${port}/team/app:1.0`], home);
    assert.equal(refused.code, 1);
    assertOneLineError(refused, /unreachable.*refused/);
    const unresolvable = await runCli(["tags", "nonexistent.invalid/team/app"], home);
    assert.equal(unresolvable.code, 1);
    assertOneLineError(unresolvable, /nonexistent\.invalid/);
  });
});

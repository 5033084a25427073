import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { createSyntheticImage } from "../../src/oci/synthetic.js";
import { cliPath } from "../helpers/paths.js";
import { seedImage } from "../helpers/seed.js";
import { startServeProcess } from "../helpers/serve-process.js";

test("crossdock serve prints its URL first, logs each request to stderr, and exits 0 on SIGTERM", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "crossdock-serve-cli-"));
  try {
    const run = await startServeProcess([
      "--storage",
      path.join(dir, "storage"),
      "--addr",
      "127.0.0.1:0",
      "--pull-limit",
      "3/1m",
    ]);
    try {
      assert.match(run.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const ping = await fetch(`${run.url}/v2/`);
      await ping.arrayBuffer();
      assert.equal(ping.headers.get("ratelimit-limit"), "3;w=60");
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.match(run.stderr(), /^127\.0\.0\.1 - - \[[^\]]+\] "GET \/v2\/ HTTP\/1\.1" 200 2 /m);
    } finally {
      run.kill("SIGTERM");
    }
    assert.equal(await run.exit, 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("crossdock serve with --auth challenges requests and exits 0 on SIGINT; a bad flag exits 2", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "crossdock-serve-cli-"));
  try {
    const authFile = path.join(dir, "users.txt");
    await writeFile(authFile, "alice:s3cret\npublic: lib/*\n");
    const run = await startServeProcess([
      "--storage",
      path.join(dir, "s"),
      "--addr",
      "127.0.0.1:0",
      "--auth",
      authFile,
      "--quiet",
    ]);
    try {
      const ping = await fetch(`${run.url}/v2/`);
      await ping.arrayBuffer();
      assert.equal(ping.status, 401);
      assert.match(
        ping.headers.get("www-authenticate") ?? "",
        /^Bearer realm="http:\/\/127\.0\.0\.1:\d+\/token",service="crossdock"$/,
      );
    } finally {
      run.kill("SIGINT");
    }
    assert.equal(await run.exit, 0);
    assert.equal(run.stderr(), "", "--quiet prints no access log");
    const bad = spawn(process.execPath, [cliPath, "serve", "--storage", dir, "--pull-limit", "lots"], {
      stdio: "ignore",
    });
    assert.equal(await new Promise((resolve) => bad.once("exit", resolve)), 2);
    await writeFile(authFile, "nocolon\n");
    const badAuth = spawn(process.execPath, [cliPath, "serve", "--storage", dir, "--auth", authFile], {
      stdio: "ignore",
    });
    assert.equal(await new Promise((resolve) => badAuth.once("exit", resolve)), 2);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("SIGHUP re-reads the auth file: a repository private on first push becomes public", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "crossdock-serve-cli-"));
  try {
    const authFile = path.join(dir, "users.txt");
    await writeFile(authFile, "alice:s3cret\n");
    const run = await startServeProcess([
      "--storage",
      path.join(dir, "s"),
      "--addr",
      "127.0.0.1:0",
      "--auth",
      authFile,
      "--quiet",
    ]);
    try {
      const token = async (scope: string, user?: string): Promise<string> => {
        const headers: Record<string, string> =
          user === undefined ? {} : { authorization: `Basic ${Buffer.from(user).toString("base64")}` };
        const response = await fetch(`${run.url}/token?service=crossdock&scope=${scope}`, { headers });
        return ((await response.json()) as { token: string }).token;
      };
      const image = createSyntheticImage({ seed: "cli-public", index: false });
      await seedImage(
        run.url,
        "team/app",
        image,
        "1",
        `Bearer ${await token("repository:team/app:pull,push", "alice:s3cret")}`,
      );
      const pull = async (): Promise<number> => {
        const response = await fetch(`${run.url}/v2/team/app/manifests/1`, {
          method: "HEAD",
          headers: { authorization: `Bearer ${await token("repository:team/app:pull")}` },
        });
        return response.status;
      };
      assert.equal(await pull(), 401, "private on first push");
      await writeFile(authFile, "alice:s3cret\npublic: team/*\n");
      run.kill("SIGHUP");
      await waitFor(() => run.stderr().includes("reloaded"));
      assert.equal(await pull(), 200, "public once the file says so");
    } finally {
      run.kill("SIGTERM");
    }
    assert.equal(await run.exit, 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { rm } from "node:fs/promises";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { formatLock } from "../../src/migrate/lock.js";
import { cliPath } from "../helpers/paths.js";
import { skipUnless } from "../helpers/tools.js";
import { deployment, startVerifyRegistries, type VerifyRegistries, writeRepo } from "./fixture.js";

const run = promisify(execFile);

describe("crossdock verify", { skip: skipUnless("docker-registry") }, () => {
  let r: VerifyRegistries;
  const dirs: string[] = [];
  before(async () => {
    r = await startVerifyRegistries();
  });
  after(async () => {
    await r?.stop();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  /** Runs the CLI with the registries' credentials in its environment; resolves whatever the exit code. */
  async function crossdock(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run(process.execPath, [cliPath, ...args], { env: r.env });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  async function repo(files: Record<string, string>): Promise<string> {
    const dir = await writeRepo(files);
    dirs.push(dir);
    return dir;
  }

  const maps = (): string[] => r.maps.flatMap((m) => ["--map", m]);

  test("a table with every failure and where it is pinned, a summary, and exit 1", async () => {
    const s = r.src.host;
    const dir = await repo({
      "k8s/deploy.yaml": deployment([
        `${s}/src/app:1.0`,
        `${s}/src/app:old`,
        `${s}/src/app:drift`,
        `${s}/src/app:multi`,
      ]),
      "values.yaml": `image: ${s}/priv/app:1.0\n`,
    });
    const { code, stdout, stderr } = await crossdock("verify", ...maps(), dir);
    assert.equal(code, 1, stderr);
    const lines = stdout.split("\n");
    assert.match(lines[0] ?? "", /^STATUS +TARGET +SOURCE DIGEST = TARGET DIGEST\? +WHERE$/);
    const row = (target: string): string => lines.find((l) => l.includes(` ${target} `)) ?? "";
    assert.match(row(`${r.dst.host}/dst/app:old`), /^missing .* k8s\/deploy\.yaml:10$/);
    assert.match(row(`${r.dst.host}/dst/app:drift`), /^digest-differs .*sha256:\w{12} != sha256:\w{12}/);
    assert.match(row(`${r.dst.host}/dst/app:multi`), /^platforms-differ /);
    assert.match(row(`${r.priv.host}/team/app:1.0`), /^not-public .* values\.yaml:1$/);
    assert.match(row(`${r.dst.host}/dst/app:1.0`), /^ok .*sha256:\w{12} = +k8s\/deploy\.yaml:8$/);
    // The file still names the source: the message says what the file says, and what the target lacks.
    assert.match(
      stdout,
      /k8s\/deploy\.yaml:10 pins [^ ]*\/src\/app:old, a tag nobody copied: [^ ]*\/dst\/app has no tag "old"/,
    );
    assert.match(
      stdout,
      /FAILED: 5 reference\(s\) checked \(1 missing, 1 platforms-differ, 1 digest-differs, 1 not-public, 1 ok\)/,
    );
  });

  test("--json prints {items, ok}; everything copied and public exits 0", async () => {
    const dir = await repo({ "k8s/deploy.yaml": deployment([`${r.src.host}/src/app:1.0`]) });
    const { code, stdout, stderr } = await crossdock("verify", "--json", ...maps(), dir);
    assert.equal(code, 0, stderr + stdout);
    const report = JSON.parse(stdout) as { ok: boolean; items: Array<{ status: string; where: string[] }> };
    assert.equal(report.ok, true);
    assert.deepEqual(
      report.items.map((i) => [i.status, i.where]),
      [["ok", ["k8s/deploy.yaml:8"]]],
    );
  });

  test("after the rewrite, rules from crossdock.yaml; --no-public-check skips the anonymous pull", async () => {
    const dir = await repo({
      "crossdock.yaml": `mappings:\n${r.maps.map((m) => `  - from: ${m.split("=")[0]}\n    to: ${m.split("=")[1]}\n`).join("")}`,
      "values.yaml": `image: ${r.priv.host}/team/app:1.0\n`,
    });
    const checked = await crossdock("verify", "--json", dir);
    assert.equal(checked.code, 1, checked.stderr);
    const report = JSON.parse(checked.stdout) as { items: Array<{ status: string; source: string }> };
    assert.deepEqual(
      report.items.map((i) => [i.status, i.source]),
      [["not-public", `${r.src.host}/priv/app:1.0`]],
    );
    const unchecked = await crossdock("verify", "--no-public-check", dir);
    assert.equal(unchecked.code, 0, unchecked.stderr + unchecked.stdout);
    assert.match(unchecked.stdout, /all good: 1 reference\(s\) checked \(1 ok\)/);
  });

  test("DIR/crossdock.lock stands in for a source deleted since the migration, and is not itself checked", async () => {
    const lock = formatLock({
      version: 1,
      images: [
        {
          source: `${r.src.host}/src/app:gone`,
          target: `${r.dst.host}/dst/app:gone`,
          digest: r.images["gone"]!.root.digest,
          mediaType: "application/vnd.oci.image.manifest.v1+json",
          platforms: [],
          owner: "own",
        },
      ],
      rewrites: [],
    });
    const files = { "k8s/deploy.yaml": deployment([`${r.dst.host}/dst/app:gone`]) };
    const without = await crossdock("verify", "--json", ...maps(), await repo(files));
    assert.equal(without.code, 1, without.stderr);
    assert.equal(
      (JSON.parse(without.stdout) as { items: Array<{ status: string }> }).items[0]?.status,
      "source-missing",
    );
    const withLock = await crossdock(
      "verify",
      "--json",
      ...maps(),
      await repo({ ...files, "crossdock.lock": lock }),
    );
    assert.equal(withLock.code, 0, withLock.stderr + withLock.stdout);
    const report = JSON.parse(withLock.stdout) as { items: Array<{ status: string; where: string[] }> };
    assert.deepEqual(
      report.items.map((i) => [i.status, i.where]),
      [["ok", ["k8s/deploy.yaml:8"]]],
    );
  });

  test("a bad --map or no rules at all is bad input: exit 2", async () => {
    const dir = await repo({ "k8s/deploy.yaml": deployment([`${r.src.host}/src/app:1.0`]) });
    const bad = await crossdock("verify", "--map", "nonsense", dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /a mapping is FROM=TO/);
    const none = await crossdock("verify", dir);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no mapping rules/);
  });
});

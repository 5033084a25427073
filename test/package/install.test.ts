/**
 * crossdock as a user installs it: `npm pack`, `npm install -g` of the tarball into a fresh prefix
 * (offline: the tarball carries its dependencies), then the installed command run in a directory
 * that has nothing to do with this repository.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { installTarball, packTarball } from "../helpers/package-tarball.js";
import { repoRoot } from "../helpers/paths.js";

const run = promisify(execFile);

describe("the packed tarball, installed globally", { timeout: 180_000 }, () => {
  let work: string;
  let prefix: string;
  let npmStderr: string;
  let elsewhere: string;

  before(async () => {
    work = await mkdtemp(path.join(tmpdir(), "crossdock-install-"));
    prefix = path.join(work, "prefix");
    const tarball = await packTarball(work);
    npmStderr = await installTarball(tarball, prefix);
    elsewhere = path.join(work, "someone-elses-repo");
    await mkdir(elsewhere);
    await writeFile(path.join(elsewhere, "Dockerfile"), "FROM docker.io/library/mysql:8.0\n");
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  /** Runs the installed `crossdock` found on PATH, in the other directory. */
  const crossdock = (args: string[]) =>
    run("crossdock", args, {
      cwd: elsewhere,
      env: { ...process.env, PATH: `${path.join(prefix, "bin")}${path.delimiter}${process.env["PATH"]}` },
    });

  it("installs with no warning", () => {
    assert.doesNotMatch(npmStderr, /warn|error/i, npmStderr);
  });

  it("has no install-time script, so nothing is built or run on install", async () => {
    const installed = path.join(prefix, "lib", "node_modules", "crossdock");
    const manifest = JSON.parse(await readFile(path.join(installed, "package.json"), "utf8")) as {
      scripts?: Record<string, string>;
    };
    for (const hook of ["preinstall", "install", "postinstall", "prepare"]) {
      assert.equal(manifest.scripts?.[hook], undefined, `the tarball's package.json has a ${hook} script`);
    }
  });

  it("prints package.json's version from any directory", async () => {
    const { version } = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as {
      version: string;
    };
    const { stdout } = await crossdock(["--version"]);
    assert.equal(stdout.trim(), version);
  });

  it("scans the directory it runs in", async () => {
    const { stdout } = await crossdock(["scan", "--json"]);
    const result = JSON.parse(stdout) as { references: Array<{ file: string; text: string }> };
    assert.deepEqual(
      result.references.map((r) => [r.file, r.text]),
      [["Dockerfile", "docker.io/library/mysql:8.0"]],
    );
  });
});

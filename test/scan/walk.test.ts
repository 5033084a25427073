import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { scanRepository } from "../../src/scan/scan-repository.js";
import { walkRepository } from "../../src/scan/walk.js";

const pod = (name: string): string => `spec:\n  image: docker.io/kubeflowkatib/${name}:v1\n`;

describe("walkRepository and scanRepository on a tree with things to skip", () => {
  let dir = "";
  let outside = "";

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "crossdock-scan-walk-"));
    outside = await mkdtemp(path.join(tmpdir(), "crossdock-scan-outside-"));
    const files: Record<string, string> = {
      ".gitignore": "/build/\n*.tmp\n",
      "keep.yaml": pod("keep"),
      "build/out.yaml": pod("root-ignored"),
      "a/stale.tmp": pod("glob-ignored"),
      "a/.gitignore": "generated/\n",
      "a/generated/x.yaml": pod("nested-ignored"),
      "a/b/kept.yaml": pod("nested-kept"),
      "b/build/kept.yaml": pod("anchored-pattern-does-not-reach"),
      "node_modules/m/deploy.yaml": pod("node-modules"),
      "vendor/v/deploy.yaml": pod("vendor"),
      "third_party/t/deploy.yaml": pod("third-party"),
      ".git/config.yaml": pod("git"),
    };
    for (const [file, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), text);
    }
    await writeFile(
      path.join(dir, "binary.yaml"),
      Buffer.concat([Buffer.from("x\0y\n"), Buffer.from(pod("binary"))]),
    );
    await writeFile(path.join(dir, "huge.yaml"), pod("huge") + "#".repeat(2 * 1024 * 1024 + 10));
    await writeFile(path.join(outside, "secret.yaml"), pod("outside"));
    await symlink(path.join(outside, "secret.yaml"), path.join(dir, "out-link.yaml"));
    await symlink(outside, path.join(dir, "out-dir"));
    await symlink("keep.yaml", path.join(dir, "in-link.yaml"));
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it("honours .gitignore at every level and skips VCS, dependency and vendored trees", async () => {
    const files = await walkRepository(dir);
    assert.deepEqual(files, [
      ".gitignore",
      "a/.gitignore",
      "a/b/kept.yaml",
      "b/build/kept.yaml",
      "binary.yaml",
      "huge.yaml",
      "in-link.yaml",
      "keep.yaml",
    ]);
  });

  it("applies include and exclude patterns", async () => {
    assert.deepEqual(await walkRepository(dir, { include: ["a/"] }), ["a/.gitignore", "a/b/kept.yaml"]);
    assert.deepEqual(await walkRepository(dir, { exclude: ["*.yaml", ".gitignore"] }), []);
  });

  it("scans neither binary nor oversized files, nor follows links out of the tree", async () => {
    const result = await scanRepository(dir);
    const names = result.references.map((o) => `${o.file} ${o.reference?.path}`);
    assert.deepEqual(names, [
      "a/b/kept.yaml kubeflowkatib/nested-kept",
      "b/build/kept.yaml kubeflowkatib/anchored-pattern-does-not-reach",
      "in-link.yaml kubeflowkatib/keep",
      "keep.yaml kubeflowkatib/keep",
    ]);
    assert.deepEqual(result.problems, []);
  });

  it("stops when the signal aborts", async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(scanRepository(dir, { signal: controller.signal }), { name: "AbortError" });
  });
});

describe("scanRepository reading files of every size", () => {
  let dir = "";

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "crossdock-scan-sizes-"));
    // Past the first read buffer (64 kB) and past its first doubling.
    await writeFile(path.join(dir, "long.yaml"), `${"#".repeat(200 * 1024)}\n${pod("long")}`);
    await writeFile(path.join(dir, "short.yaml"), pod("short"));
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads a long file whole, and skips files over maxFileBytes", async () => {
    const all = await scanRepository(dir);
    assert.deepEqual(
      all.references.map((o) => `${o.file}:${o.line} ${o.reference?.path}`),
      ["long.yaml:3 kubeflowkatib/long", "short.yaml:2 kubeflowkatib/short"],
    );
    const limited = await scanRepository(dir, { maxFileBytes: 1000 });
    assert.deepEqual(
      limited.references.map((o) => o.file),
      ["short.yaml"],
    );
    const exact = await scanRepository(dir, { maxFileBytes: pod("short").length });
    assert.deepEqual(
      exact.references.map((o) => o.file),
      ["short.yaml"],
    );
    const under = await scanRepository(dir, { maxFileBytes: pod("short").length - 1 });
    assert.deepEqual(under.references, []);
    assert.deepEqual((await scanRepository(dir, { maxFileBytes: -1 })).references, []);
  });
});

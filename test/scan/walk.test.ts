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
      "vendor/modules.txt": "# github.com/x/y v1.0.0\n",
      "go/vendor/v/deploy.yaml": pod("not-go-vendored"),
      "third_party/t/deploy.yaml": pod("third-party"),
      "manifests/third-party/app/deployment.yaml": pod("third-party-app"),
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
    await writeFile(path.join(dir, "huge.yaml"), `${"#".repeat(3 * 1024 * 1024)}\n${pod("huge")}`);
    await writeFile(path.join(outside, "secret.yaml"), pod("outside"));
    await symlink(path.join(outside, "secret.yaml"), path.join(dir, "out-link.yaml"));
    await symlink(outside, path.join(dir, "out-dir"));
    await symlink("keep.yaml", path.join(dir, "in-link.yaml"));
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it("honours .gitignore at every level, skips VCS data and installed or Go-vendored dependencies", async () => {
    const skipped: string[] = [];
    const files = await walkRepository(dir, { onSkipped: (s) => skipped.push(`${s.path}: ${s.reason}`) });
    assert.deepEqual(files, [
      ".gitignore",
      "a/.gitignore",
      "a/b/kept.yaml",
      "b/build/kept.yaml",
      "binary.yaml",
      "go/vendor/v/deploy.yaml",
      "huge.yaml",
      "keep.yaml",
      "manifests/third-party/app/deployment.yaml",
      "third_party/t/deploy.yaml",
    ]);
    assert.deepEqual(skipped.sort(), [
      ".git: version control data",
      "node_modules: installed npm packages",
      "vendor: Go modules vendored by go mod vendor (vendor/modules.txt)",
    ]);
  });

  it("applies include and exclude patterns", async () => {
    assert.deepEqual(await walkRepository(dir, { include: ["a/"] }), ["a/.gitignore", "a/b/kept.yaml"]);
    assert.deepEqual(await walkRepository(dir, { exclude: ["*.yaml", ".gitignore"] }), []);
  });

  it("scans large files and third_party/, reports binary text files, follows no link out of the tree", async () => {
    const result = await scanRepository(dir);
    const names = result.references.map((o) => `${o.file} ${o.reference?.path}`);
    assert.deepEqual(names, [
      "a/b/kept.yaml kubeflowkatib/nested-kept",
      "b/build/kept.yaml kubeflowkatib/anchored-pattern-does-not-reach",
      "go/vendor/v/deploy.yaml kubeflowkatib/not-go-vendored",
      "huge.yaml kubeflowkatib/huge",
      "keep.yaml kubeflowkatib/keep",
      "manifests/third-party/app/deployment.yaml kubeflowkatib/third-party-app",
      "third_party/t/deploy.yaml kubeflowkatib/third-party",
    ]);
    assert.deepEqual(result.problems, [
      {
        file: "binary.yaml",
        message: "binary (a NUL byte at offset 1; UTF-16 needs a BOM); not scanned",
        unread: true,
      },
    ]);
    assert.deepEqual(
      result.skipped.map((s) => s.path),
      [".git", "node_modules", "vendor"],
    );
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

  it("reads a long file whole, and reports files over maxFileBytes", async () => {
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
    assert.deepEqual(limited.problems, [
      { file: "long.yaml", message: "over 1000 bytes; not scanned", unread: true },
    ]);
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

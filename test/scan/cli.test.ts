import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { cliPath, fixturePath } from "../helpers/paths.js";

const run = promisify(execFile);
const repo = fixturePath("scan", "repo-katib-like");

/** Runs the CLI; resolves with the exit code and output whatever the code. */
async function crossdock(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cliPath, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("crossdock scan", () => {
  it("--json prints references, images and problems; --map adds what each becomes", async () => {
    const { code, stdout } = await crossdock(
      "scan",
      "--json",
      "--map",
      "docker.io/kubeflowkatib=ghcr.io/kubeflow/katib",
      repo,
    );
    assert.equal(code, 0);
    const report = JSON.parse(stdout) as {
      references: Array<{ file: string; line: number; column: number; text: string; mapped?: string }>;
      images: Array<{ name: string; owner: string; usage: string }>;
      problems: unknown[];
    };
    assert.deepEqual(Object.keys(report), ["references", "images", "problems", "skipped", "logins"]);
    const mysql = report.references.find((r) => r.file === "manifests/v1beta1/components/mysql/mysql.yaml");
    assert.deepEqual(
      { line: mysql?.line, column: mysql?.column, text: mysql?.text, mapped: mysql?.mapped },
      { line: 10, column: 18, text: "mysql:8.0.29", mapped: undefined },
    );
    const controller = report.references.find((r) => r.file.endsWith("controller.yaml") && r.line === 10);
    assert.equal(controller?.mapped, "ghcr.io/kubeflow/katib/katib-controller");
    assert.equal(report.images.find((i) => i.name === "docker.io/library/postgres")?.owner, "third-party");
  });

  it("prints a table grouped by owner and usage then image, with places", async () => {
    const { code, stdout } = await crossdock("scan", repo);
    assert.equal(code, 0);
    const own = stdout.indexOf("own (built or published here), core: 4 images");
    const third = stdout.indexOf("third-party, core: 6 images");
    assert.ok(own >= 0 && third > own, stdout);
    assert.match(
      stdout,
      /docker\.io\/library\/mysql {2}\(1\) {2}tags: 8\.0\.29\n {4}at manifests\/v1beta1\/components\/mysql\/mysql\.yaml:10\n/,
    );
    // The registry variable the Makefile pushes to is a push destination; the Dockerfile's FROM a base.
    assert.match(stdout, /Makefile:1 \(push\) {2}prefix {2}docker\.io\/kubeflowkatib\n/);
    assert.match(stdout, /mxnet-mnist\/Dockerfile:1 \(base\)\n/);
  });

  it("reads mappings, paths and categories from --config", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "crossdock-scan-cli-"));
    try {
      const config = path.join(dir, "crossdock.yaml");
      await writeFile(
        config,
        "mappings:\n  - from: docker.io/kubeflowkatib\n    to: ghcr.io/kubeflow/katib\npaths:\n  exclude: [docs/]\ncategories:\n  mysql: own\n",
      );
      const { code, stdout } = await crossdock("scan", "--json", "--config", config, repo);
      assert.equal(code, 0);
      const report = JSON.parse(stdout) as {
        references: Array<{ file: string; mapped?: string }>;
        images: Array<{ name: string; owner: string }>;
      };
      assert.equal(report.references.filter((r) => r.file.startsWith("docs/")).length, 0);
      assert.equal(report.images.find((i) => i.name === "docker.io/library/mysql")?.owner, "own");
      assert.ok(report.references.some((r) => r.mapped === "ghcr.io/kubeflow/katib"));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("exits 2 on a bad --map or a missing directory", async () => {
    const bad = await crossdock("scan", "--map", "docker.io/kubeflowkatib", repo);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /FROM=TO/);
    const missing = await crossdock("scan", path.join(repo, "no-such-dir"));
    assert.equal(missing.code, 2);
  });
});

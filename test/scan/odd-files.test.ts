import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import {
  chmod,
  cp,
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readlink,
  rm,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { parseMappingRule, reverseRules } from "../../src/reference/mapping.js";
import { applyRewrite, prepareRewrite } from "../../src/rewrite/rewrite-repository.js";
import { scanRepository } from "../../src/scan/scan-repository.js";
import { fixturePath, repoRoot } from "../helpers/paths.js";

const run = promisify(execFile);
const rules = [parseMappingRule("docker.io/kubeflowkatib=ghcr.io/kubeflow/katib")];
const pod = "spec:\n  containers:\n    - image: docker.io/kubeflowkatib/katib-ui:v0.18.0\n";

/**
 * Files the scan cannot read as text are problems with their reason, never skipped in silence
 * (issue 12 item 2); UTF-16 with a BOM is read and written back in UTF-16; a file reached through a
 * symlink is scanned and rewritten once (issue 11 item 8).
 */
describe("odd files", () => {
  let dir = "";

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "crossdock-odd-files-"));
    await cp(fixturePath("scan", "odd-files"), dir, { recursive: true });
    await writeFile(
      path.join(dir, "latin1.yaml"),
      Buffer.from("# caf\xe9\nimage: docker.io/kubeflowkatib/x:1\n", "latin1"),
    );
    await writeFile(path.join(dir, "deploy.yaml"), pod);
    await symlink("deploy.yaml", path.join(dir, "deploy-link.yaml"));
    await mkdir(path.join(dir, "locked"));
    await writeFile(path.join(dir, "locked", "pod.yaml"), pod);
    await chmod(path.join(dir, "locked"), 0o000);
  });

  after(async () => {
    await chmod(path.join(dir, "locked"), 0o755).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  });

  it("reads UTF-16 with a BOM, both byte orders, with byte offsets counted in UTF-16", async () => {
    const result = await scanRepository(dir);
    for (const file of ["pod.utf16be.yaml", "pod.utf16le.yaml"]) {
      const found = result.references.filter((o) => o.file === file);
      assert.equal(found.length, 1, file);
      const o = found[0]!;
      assert.equal(o.text, "docker.io/kubeflowkatib/katib-ui:v0.18.0");
      assert.equal(o.line, 7);
      const bytes = await readFile(path.join(dir, file));
      const span = bytes.subarray(o.byteStart, o.byteEnd);
      const decoded = file.includes("le")
        ? span.toString("utf16le")
        : Buffer.from(span).swap16().toString("utf16le");
      assert.equal(decoded, o.text);
    }
  });

  it("reports text it cannot read: not UTF-8, a directory it cannot list", async () => {
    const { problems } = await scanInOtherUser(dir);
    assert.deepEqual(
      problems.map((p) => `${p.file}: ${p.message.replace(/:.*$/, "")}`),
      ["locked: cannot list directory", "latin1.yaml: not valid UTF-8 (nor UTF-16 with a BOM); not scanned"],
    );
  });

  it("scans a file and a symlink to it once, and --write rewrites it once, in its encoding", async () => {
    const before16 = await readFile(path.join(dir, "pod.utf16le.yaml"));
    // Root can read the locked directory: leave it out, whoever runs the test.
    const scan = { exclude: ["locked/"] };
    const forward = await prepareRewrite(dir, { rules, scan });
    assert.deepEqual([...forward.plan.edits.keys()].sort(), [
      "deploy.yaml",
      "pod.utf16be.yaml",
      "pod.utf16le.yaml",
    ]);
    const outcome = await applyRewrite(forward);
    assert.deepEqual(outcome.refused, []);
    assert.deepEqual(outcome.unconfirmed, []);
    assert.equal((await lstat(path.join(dir, "deploy-link.yaml"))).isSymbolicLink(), true);
    assert.equal(await readlink(path.join(dir, "deploy-link.yaml")), "deploy.yaml");
    assert.match(
      await readFile(path.join(dir, "deploy-link.yaml"), "utf8"),
      /ghcr\.io\/kubeflow\/katib\/katib-ui:v0\.18\.0/,
    );
    const after16 = await readFile(path.join(dir, "pod.utf16le.yaml"));
    assert.deepEqual([...after16.subarray(0, 2)], [0xff, 0xfe]);
    assert.match(
      after16.toString("utf16le"),
      /image: ghcr\.io\/kubeflow\/katib\/katib-ui:v0\.18\.0 # café\r\n$/,
    );
    const back = await prepareRewrite(dir, {
      rules: reverseRules(rules),
      journal: forward.plan.journal,
      scan,
    });
    await applyRewrite(back);
    assert.deepEqual(await readFile(path.join(dir, "pod.utf16le.yaml")), before16);
    assert.equal(await readFile(path.join(dir, "deploy.yaml"), "utf8"), pod);
  });
});

/**
 * The scan's problems, as a user other than root sees them: root lists a mode-000 directory, so
 * under root the scan runs in a child process that drops to `nobody` first.
 */
async function scanInOtherUser(dir: string): Promise<{ problems: Array<{ file: string; message: string }> }> {
  if (process.getuid?.() !== 0) return scanRepository(dir);
  await chmod(dir, 0o755);
  const module = path.join(repoRoot, "dist", "src", "scan", "scan-repository.js");
  const script = `process.setgid(65534); process.setuid(65534);
    const { scanRepository } = await import(${JSON.stringify(module)});
    process.stdout.write(JSON.stringify(await scanRepository(${JSON.stringify(dir)})));`;
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script]);
  return JSON.parse(stdout);
}

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { appendFile, chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { hostTagOf } from "../../src/files/atomic-write.js";
import { parseMappingRule } from "../../src/reference/mapping.js";
import { applyRewrite, prepareRewrite } from "../../src/rewrite/rewrite-repository.js";
import { cliPath } from "../helpers/paths.js";
import { hasTool } from "../helpers/tools.js";

const run = promisify(execFile);
const rules = [parseMappingRule("docker.io/kubeflowkatib=ghcr.io/kubeflow/katib")];
let dir: string;

const bomCrlf =
  '\uFEFFapiVersion: v1\r\nkind: Pod\r\nspec:\r\n  containers:\r\n    - image: "kubeflowkatib/katib-ui:v0.18.0" # the UI\r\n';
const script =
  "#!/bin/sh\n# pull the controller\ndocker pull docker.io/kubeflowkatib/katib-controller@sha256:" +
  "a".repeat(64) +
  "\n";

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "crossdock-rewrite-"));
  await writeFile(path.join(dir, "pod.yaml"), bomCrlf);
  await writeFile(path.join(dir, "pull.sh"), script);
  await chmod(path.join(dir, "pull.sh"), 0o755);
  await writeFile(path.join(dir, "other.yaml"), "image: mysql:8.0 # untouched\n");
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("the dry run (the CLI's default) prints a diff and writes nothing", async () => {
  const { stdout } = await run(process.execPath, [
    cliPath,
    "rewrite",
    dir,
    "--map",
    "docker.io/kubeflowkatib=ghcr.io/kubeflow/katib",
  ]);
  assert.match(stdout, /^-.*kubeflowkatib\/katib-ui:v0\.18\.0/m);
  assert.match(stdout, /^\+.*ghcr\.io\/kubeflow\/katib\/katib-ui:v0\.18\.0/m);
  assert.match(stdout, /would change: 2 reference\(s\) in 2 file\(s\)/);
  assert.equal(await readFile(path.join(dir, "pod.yaml"), "utf8"), bomCrlf);
});

test("a bad --map is a usage error (exit 2)", async () => {
  await assert.rejects(
    run(process.execPath, [cliPath, "rewrite", dir, "--map", "nonsense"]),
    (e: { code: number }) => e.code === 2,
  );
});

test("--write changes only the references: BOM, CRLF, quotes, comments and the file mode stay", async () => {
  const prepared = await prepareRewrite(dir, { rules });
  const outcome = await applyRewrite(prepared);
  assert.deepEqual([...outcome.filesChanged].sort(), ["pod.yaml", "pull.sh"]);
  assert.deepEqual(outcome.unconfirmed, []);
  assert.equal(
    await readFile(path.join(dir, "pod.yaml"), "utf8"),
    bomCrlf.replace("kubeflowkatib/katib-ui", "ghcr.io/kubeflow/katib/katib-ui"),
  );
  assert.equal(
    await readFile(path.join(dir, "pull.sh"), "utf8"),
    script.replace("docker.io/kubeflowkatib/", "ghcr.io/kubeflow/katib/"),
  );
  assert.equal((await stat(path.join(dir, "pull.sh"))).mode & 0o777, 0o755);
  assert.equal(await readFile(path.join(dir, "other.yaml"), "utf8"), "image: mysql:8.0 # untouched\n");
  const again = await prepareRewrite(dir, { rules });
  assert.equal(again.plan.edits.size, 0, "running it twice changes nothing");
});

test("a file edited between the scan and the write is refused and left as the user left it", async () => {
  const file = path.join(dir, "late.yaml");
  await writeFile(file, "image: docker.io/kubeflowkatib/katib-db-manager:v1\n");
  const prepared = await prepareRewrite(dir, { rules });
  await appendFile(file, "# edited meanwhile\n");
  const outcome = await applyRewrite(prepared);
  assert.deepEqual(
    outcome.refused.map((r) => r.file),
    ["late.yaml"],
  );
  assert.equal(
    await readFile(file, "utf8"),
    "image: docker.io/kubeflowkatib/katib-db-manager:v1\n# edited meanwhile\n",
  );
});

test("a file name with a newline, a tab or a quote is quoted in the diff as git does, one line per header", async () => {
  const odd = await mkdtemp(path.join(os.tmpdir(), "crossdock-rewrite-odd-"));
  try {
    const name = 'odd\nname\t"q".yaml';
    await writeFile(path.join(odd, name), "image: kubeflowkatib/katib-ui:v0.18.0\n");
    const { stdout } = await run(process.execPath, [
      cliPath,
      "rewrite",
      odd,
      "--map",
      "docker.io/kubeflowkatib=ghcr.io/kubeflow/katib",
    ]);
    const diff = stdout.slice(0, stdout.indexOf("\nwould change") + 1);
    assert.match(diff, /^--- "a\/odd\\nname\\t\\"q\\"\.yaml"$/m);
    assert.match(diff, /^\+\+\+ "b\/odd\\nname\\t\\"q\\"\.yaml"$/m);
    for (const line of diff.split("\n").filter((l) => l !== ""))
      assert.match(line, /^(--- |\+\+\+ |@@ |[-+ \\])/, `a diff line: ${JSON.stringify(line)}`);
    if (hasTool("git")) {
      // git itself reads the header back to the same name.
      await run("git", ["init", "-q", odd]);
      await writeFile(path.join(odd, "change.diff"), diff);
      await run("git", ["-C", odd, "apply", "--check", "change.diff"]);
    }
  } finally {
    await rm(odd, { recursive: true, force: true });
  }
});

test("--write removes the temporary copy a killed rewrite left beside a file", async () => {
  const killed = await mkdtemp(path.join(os.tmpdir(), "crossdock-rewrite-killed-"));
  try {
    await writeFile(path.join(killed, "pod.yaml"), "image: kubeflowkatib/katib-ui:v0.18.0\n");
    const dead = (await run(process.execPath, ["-e", "process.stdout.write(String(process.pid))"])).stdout;
    const leftover = `.crossdock-${hostTagOf(os.hostname())}.${dead}.0123456789abcdef.tmp`;
    await writeFile(path.join(killed, leftover), "image: kubeflowkatib/katib-ui:v0.18.0\n");
    const outcome = await applyRewrite(await prepareRewrite(killed, { rules }));
    assert.deepEqual(outcome.filesChanged, ["pod.yaml"]);
    assert.deepEqual(await readdir(killed), ["pod.yaml"]);
  } finally {
    await rm(killed, { recursive: true, force: true });
  }
});

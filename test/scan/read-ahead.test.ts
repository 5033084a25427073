import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { parseMappingRule } from "../../src/reference/mapping.js";
import { findHints } from "../../src/scan/hints.js";
import { ReadAhead } from "../../src/scan/read-ahead.js";
import { type ScanOptions, scanRepository } from "../../src/scan/scan-repository.js";
import { fixturePath } from "../helpers/paths.js";

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The scan with the read-ahead worker must be the scan without it, whatever the files. */
async function assertSameScan(dir: string, options: ScanOptions = {}): Promise<number> {
  const alone = await scanRepository(dir, { ...options, readAhead: false });
  const ahead = await scanRepository(dir, { ...options, readAhead: true });
  assert.deepEqual(ahead, alone, dir);
  return alone.references.length;
}

describe("scanRepository reading ahead on a worker thread", () => {
  let dir = "";

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "crossdock-read-ahead-"));
    // Enough files that the worker joins in, and more than it has slots, so slots are reused.
    const kinds = [
      (i: number) => [`p${i}.yaml`, `spec:\n  image: ghcr.io/acme/app${i}:v${i}\n`],
      (i: number) => [`m${i}.go`, `package m\n// quay.io/acme/c${i}:1\nvar img = "acme/go${i}:v1"\n`],
      (i: number) => [`d${i}.md`, `# ${i}\n\n\`\`\`\ndocker pull acme/md${i}:1\n\`\`\`\n`],
      (i: number) => [`j${i}.json`, JSON.stringify({ image: `acme/json${i}:1` })],
      (i: number) => [`s${i}.sh`, `#!/bin/sh\ndocker build -t acme/sh${i}:1 .\n`],
      (i: number) => [`t${i}.ts`, `export const x = ${i};\n`],
    ];
    const files = Array.from({ length: 3000 }, (_, i) => {
      const [name, text] = kinds[i % kinds.length]!(i);
      return [`d${i % 13}/${name}`, text] as const;
    });
    for (let d = 0; d < 13; d++) await mkdir(path.join(dir, `d${d}`), { recursive: true });
    for (let i = 0; i < files.length; i += 100) {
      await Promise.all(files.slice(i, i + 100).map(([f, t]) => writeFile(path.join(dir, f!), t!)));
    }
    // Bigger than a slot (16 KiB): the scanning thread reads it itself.
    await writeFile(path.join(dir, "big.yaml"), `${"#".repeat(100 * 1024)}\nimage: ghcr.io/acme/big:1\n`);
    await writeFile(path.join(dir, "binary.yaml"), Buffer.from("image: ghcr.io/acme/bin:1\n\0\0\0"));
    await writeFile(
      path.join(dir, "latin1.yaml"),
      Buffer.from("image: ghcr.io/acme/l1:1 # caf\xe9\n", "latin1"),
    );
    await writeFile(path.join(dir, "empty.yaml"), "");
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("hands over each file's bytes and hints, slot after slot, and leaves big and missing files to the caller", async () => {
    const files = [
      // YAML, Go and Markdown files of the tree (file i is of kind i % 6).
      ...Array.from({ length: 300 }, (_, j) => {
        const i = 6 * Math.floor(j / 3) + (j % 3);
        return `d${i % 13}/${["p", "m", "d"][j % 3]}${i}.${["yaml", "go", "md"][j % 3]}`;
      }),
      "latin1.yaml",
      "big.yaml",
      "missing.yaml",
    ];
    // 64 slots for 303 files: each slot is used several times.
    const ahead = new ReadAhead(64);
    let searched = 0;
    try {
      ahead.read(dir, files);
      for (let i = 0; i < files.length; i++) {
        // Give the worker time to get there (it waits for slots to be released past the first 64).
        for (let tries = 0; tries < 500 && i <= 300 && !ahead.isReady(i); tries++) await sleep(10);
        const bytes = ahead.take(i);
        if (i > 300) {
          assert.equal(bytes, undefined, files[i]);
          continue;
        }
        const expected = await readFile(path.join(dir, files[i]!));
        assert.deepEqual(bytes, expected, files[i]);
        const hints = ahead.hints(i);
        if (i === 300) assert.equal(hints, undefined, "not ASCII: no hints searched");
        else if (hints !== undefined) {
          // The worker searches when it is far enough ahead; what it finds is the search's result.
          const found: number[] = [];
          findHints(expected.toString("utf8"), (start, end) => found.push(start, end) > 0);
          assert.ok(found.length >= 2, files[i]);
          assert.deepEqual([...hints], found, files[i]);
          searched++;
        }
        ahead.release(i);
      }
      assert.ok(searched > 200, `hints searched in ${searched} files`);
    } finally {
      ahead.stop();
    }
  });

  it("finds and reports exactly what the scan without it does", async () => {
    assert.ok((await assertSameScan(dir)) > 3000);
    await assertSameScan(dir, { maxFileBytes: 50 });
    await assertSameScan(dir, { batchSize: 7 });
  });

  it("leaves its worker to the next scan, and two scans at once each get their own", async () => {
    const alone = await scanRepository(dir, { readAhead: false });
    await scanRepository(dir, { readAhead: true });
    assert.ok(ReadAhead.spareReady, "a finished scan leaves its worker as the spare");
    const [a, b] = await Promise.all([
      scanRepository(dir, { readAhead: true }),
      scanRepository(dir, { readAhead: true }),
    ]);
    assert.deepEqual(a, alone);
    assert.deepEqual(b, alone);
    assert.ok(ReadAhead.spareReady);
  });

  it("is not started for a process's first scan (cold), only for the next ones", async () => {
    // A fresh process: this one has scanned already.
    const module = new URL("../../src/scan/", import.meta.url).href;
    const script = `
      const { scanRepository } = await import(${JSON.stringify(`${module}scan-repository.js`)});
      const { ReadAhead } = await import(${JSON.stringify(`${module}read-ahead.js`)});
      const spares = [];
      for (let i = 0; i < 2; i++) {
        await scanRepository(${JSON.stringify(dir)});
        spares.push(ReadAhead.spareReady);
      }
      console.log(JSON.stringify(spares));`;
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script]);
    // A second core is needed for any worker; this machine's count decides what to expect.
    assert.deepEqual(JSON.parse(stdout), [false, availableParallelism() > 1]);
  });

  it("gives up the rest of its files when the scan is aborted, and serves the next scan", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 5);
    await assert.rejects(scanRepository(dir, { readAhead: true, signal: controller.signal }), {
      name: "AbortError",
    });
    assert.ok(ReadAhead.spareReady);
    await assertSameScan(dir);
  });

  it("on every fixture tree, with and without mapping rules", async () => {
    const rules = [parseMappingRule("docker.io/kubeflowkatib=ghcr.io/kubeflow/katib")];
    for (const area of ["forms", "negative", "repo-katib-like"]) {
      await assertSameScan(fixturePath("scan", area));
      await assertSameScan(fixturePath("scan", area), { rules });
    }
  });
});

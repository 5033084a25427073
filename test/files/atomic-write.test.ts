import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { test } from "node:test";
import { hostTagOf, tempPathIn, writeFileAtomically } from "../../src/files/atomic-write.js";
import { removeStaleTempFiles, staleTempAgeMs } from "../../src/files/stale-temp-files.js";

async function scratch(): Promise<string> {
  return await mkdtemp(path.join(os.tmpdir(), "crossdock-atomic-"));
}

test("replaces a file whole, with the mode asked for, and leaves no temporary file", async () => {
  const dir = await scratch();
  try {
    const file = path.join(dir, "run.sh");
    await writeFile(file, "old");
    await writeFileAtomically(file, "#!/bin/sh\n", { mode: 0o751 });
    assert.equal(await readFile(file, "utf8"), "#!/bin/sh\n");
    assert.equal((await stat(file)).mode & 0o7777, 0o751, "exact bits, whatever the umask");
    await writeFileAtomically(path.join(dir, "a", "b", "c.json"), Buffer.from("{}"), {
      tempDir: dir,
      createDirectory: true,
    });
    assert.equal(await readFile(path.join(dir, "a", "b", "c.json"), "utf8"), "{}");
    assert.deepEqual((await readdir(dir)).sort(), ["a", "run.sh"]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a failing stage, a failing source or an abort leaves the target as it was and no temporary file", async () => {
  const dir = await scratch();
  try {
    const file = path.join(dir, "blob");
    await writeFile(file, "before");
    const refuse = new Transform({
      transform(_chunk, _encoding, callback) {
        callback(new Error("digest mismatch"));
      },
    });
    await assert.rejects(
      writeFileAtomically(file, [Readable.from([Buffer.from("x")]), refuse]),
      /digest mismatch/,
    );
    const broken = new Readable({
      read() {
        this.destroy(new Error("source reset"));
      },
    });
    await assert.rejects(writeFileAtomically(file, [broken]), /source reset/);
    const controller = new AbortController();
    controller.abort();
    const endless = new Readable({
      read() {
        this.push(Buffer.alloc(1024));
      },
    });
    await assert.rejects(writeFileAtomically(file, [endless], { signal: controller.signal }), /abort/i);
    await assert.rejects(writeFileAtomically(path.join(dir, "missing", "f"), "x"), /ENOENT/);
    assert.equal(await readFile(file, "utf8"), "before");
    assert.deepEqual(await readdir(dir), ["blob"]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a later run removes the temporary files of dead processes and of old runs, never a live one's", async () => {
  const dir = await scratch();
  try {
    const host = hostTagOf(os.hostname());
    const dead = spawnSync(process.execPath, [
      "-e",
      "process.stdout.write(String(process.pid))",
    ]).stdout.toString();
    const names = {
      dead: `.crossdock-${host}.${dead}.0123456789abcdef.tmp`,
      live: path.basename(tempPathIn(dir)),
      otherHost: `.crossdock-elsewhere.${dead}.0123456789abcdef.tmp`,
      otherHostOld: `.crossdock-elsewhere.${dead}.fedcba9876543210.tmp`,
      legacy: ".crossdock-8b4f2a4e-8d0c-4c5e-9a3b-0d9b8e7f6a5c.tmp",
      legacyOld: ".crossdock-1b4f2a4e-8d0c-4c5e-9a3b-0d9b8e7f6a5c.tmp",
      lock: ".crossdock-index.lock",
      user: "notes.tmp",
    };
    for (const name of Object.values(names)) await writeFile(path.join(dir, name), "x");
    await mkdir(path.join(dir, `.crossdock-${host}.${dead}.aaaaaaaaaaaaaaaa.tmp`));
    await writeFile(path.join(dir, `.crossdock-${host}.${dead}.aaaaaaaaaaaaaaaa.tmp`, "blob"), "unpacked");
    const old = new Date(Date.now() - staleTempAgeMs - 60_000);
    for (const name of [names.otherHostOld, names.legacyOld]) await utimes(path.join(dir, name), old, old);

    const removed = await removeStaleTempFiles(dir);
    assert.deepEqual(
      removed.sort(),
      [
        names.dead,
        names.otherHostOld,
        names.legacyOld,
        `.crossdock-${host}.${dead}.aaaaaaaaaaaaaaaa.tmp`,
      ].sort(),
    );
    assert.deepEqual(
      (await readdir(dir)).sort(),
      [names.live, names.otherHost, names.legacy, names.lock, names.user].sort(),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { ConfigError } from "../../src/migrate/config/error.js";
import { parseConfig } from "../../src/migrate/config/load-config.js";
import { phaseAfterRollback, recordPhase } from "../../src/migrate/phase.js";

const config = `# where the project is
phase: switch   # moved by crossdock
mappings:
  - from: docker.io/kubeflowkatib
    to: ghcr.io/kubeflow/katib
`;

test("phase: is read, and a misspelt phase names the line and the nearest phase", () => {
  assert.equal(parseConfig(config, "crossdock.yaml").phase, "switch");
  assert.equal(parseConfig("mappings: []\n", "crossdock.yaml").phase, undefined);
  assert.throws(
    () => parseConfig("phase: swtich\n", "crossdock.yaml"),
    (error: unknown) =>
      error instanceof ConfigError &&
      /crossdock\.yaml:1:\d+: phase: want prepare.*did you mean "switch"/.test(error.message),
  );
});

test("recordPhase splices only the value: comments, order and layout stay byte for byte", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "crossdock-phase-"));
  try {
    const file = path.join(dir, "crossdock.yaml");
    await writeFile(file, config);
    assert.equal(await recordPhase(file, "parallel"), true);
    assert.equal(await readFile(file, "utf8"), config.replace("phase: switch", "phase: parallel"));
    assert.equal(await recordPhase(file, "parallel"), false, "already there: nothing written");
    await writeFile(file, "mappings: []\n");
    assert.equal(await recordPhase(file, "parallel"), false, "no phase recorded: the file is left alone");
    assert.equal(await readFile(file, "utf8"), "mappings: []\n");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a rollback moves switch and maintain back: to parallel when nothing stays switched", () => {
  assert.equal(phaseAfterRollback("maintain", 0), "parallel");
  assert.equal(phaseAfterRollback("maintain", 3), "switch");
  assert.equal(phaseAfterRollback("switch", 3), "switch");
  assert.equal(phaseAfterRollback("parallel", 0), "parallel");
});

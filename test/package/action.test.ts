// biome-ignore-all lint/suspicious/noTemplateCurlyInString: GitHub Actions expressions are the data under test
/**
 * action.yml, the repository as a GitHub Action: read as YAML for its inputs and its composite
 * step, held to package.json's version, and its script run with bash the way the runner runs it
 * (inputs in the environment). The crossdock release it pins is not on this machine's registry, so
 * an `npx` placed first on PATH stands in for it: it records what it was given and runs the
 * bundled CLI in its place.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { parse } from "yaml";
import { cliPath, repoRoot } from "../helpers/paths.js";

interface Input {
  readonly description: string;
  readonly required?: boolean;
  readonly default?: string;
}
interface Action {
  readonly inputs: Record<string, Input>;
  readonly runs: {
    readonly using: string;
    readonly steps: readonly { shell?: string; run?: string; env?: Record<string, string> }[];
  };
}

describe("action.yml", () => {
  let action: Action;
  let script: string;
  let work: string;

  before(async () => {
    action = parse(await readFile(path.join(repoRoot, "action.yml"), "utf8")) as Action;
    script = action.runs.steps[0]?.run ?? "";
    work = await mkdtemp(path.join(os.tmpdir(), "crossdock-action-"));
    await writeFile(
      path.join(work, "npx"),
      [
        "#!/bin/sh",
        `printf '%s\\n' "$@" > "${work}/argv"`,
        `env | grep '^CROSSDOCK_AUTH_' | sort > "${work}/auth-env" || true`,
        "shift 2",
        `exec "${process.execPath}" "${cliPath}" "$@"`,
        "",
      ].join("\n"),
    );
    await chmod(path.join(work, "npx"), 0o755);
  });
  after(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  /** Runs the action's script as the runner would, the inputs in the environment. */
  function runAction(inputs: Record<string, string>): Promise<{ code: number; out: string }> {
    const env: Record<string, string> = {
      PATH: `${work}:${process.env["PATH"]}`,
      HOME: work,
      CROSSDOCK_COMMAND: "",
      CROSSDOCK_ARGS: "",
      SOURCE_REGISTRY: "docker.io",
      SOURCE_USERNAME: "",
      SOURCE_PASSWORD: "",
      TARGET_REGISTRY: "ghcr.io",
      TARGET_USERNAME: "",
      TARGET_PASSWORD: "",
      WORKFLOW_ACTOR: "octocat",
      WORKFLOW_TOKEN: "workflow-token-value",
      ...inputs,
    };
    return new Promise((resolve) => {
      execFile("bash", ["-c", script], { env, cwd: work }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code) : 0, out: stdout + stderr }),
      );
    });
  }

  it("takes command and args, and credentials for both registries with GHCR's defaults", () => {
    assert.equal(action.inputs["command"]?.required, true);
    for (const name of ["args", "source-registry", "source-username", "source-password"])
      assert.ok(action.inputs[name], `input ${name}`);
    for (const name of ["target-registry", "target-username", "target-password"])
      assert.ok(action.inputs[name], `input ${name}`);
    assert.equal(action.inputs["source-registry"]?.default, "docker.io");
    assert.equal(action.inputs["target-registry"]?.default, "ghcr.io");
    assert.equal(action.runs.using, "composite");
    assert.equal(action.runs.steps[0]?.shell, "bash");
  });

  it("runs the crossdock version of package.json, and pastes no input into the script", async () => {
    const { version } = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as {
      version: string;
    };
    assert.match(script, new RegExp(`npx --yes crossdock@${version.replace(/\./g, "\\.")} `));
    assert.doesNotMatch(script, /\$\{\{/, "inputs reach the script only through env:");
    assert.equal(action.runs.steps[0]?.env?.["CROSSDOCK_ARGS"], "${{ inputs.args }}");
  });

  it("hands each registry's credentials to crossdock under its host's names, masked, and runs the command", async () => {
    const run = await runAction({
      CROSSDOCK_COMMAND: "ref",
      CROSSDOCK_ARGS: "normalize alpine",
      SOURCE_USERNAME: "hub-user",
      SOURCE_PASSWORD: "hub-secret-value",
    });
    assert.equal(run.code, 0, run.out);
    assert.match(run.out, /^docker\.io\/library\/alpine$/m);
    assert.deepEqual((await readFile(path.join(work, "argv"), "utf8")).trim().split("\n").slice(2), [
      "ref",
      "normalize",
      "alpine",
    ]);
    assert.deepEqual((await readFile(path.join(work, "auth-env"), "utf8")).trim().split("\n"), [
      "CROSSDOCK_AUTH_DOCKER_IO_PASSWORD=hub-secret-value",
      "CROSSDOCK_AUTH_DOCKER_IO_USERNAME=hub-user",
      "CROSSDOCK_AUTH_GHCR_IO_PASSWORD=workflow-token-value",
      "CROSSDOCK_AUTH_GHCR_IO_USERNAME=octocat",
    ]);
    const lines = run.out.split("\n");
    for (const secret of ["hub-secret-value", "workflow-token-value"]) {
      assert.ok(lines.includes(`::add-mask::${secret}`), `${secret} is masked`);
      assert.equal(lines.filter((l) => l.includes(secret)).length, 1, `${secret} is printed only to mask it`);
    }
  });

  it("never gives the workflow token to a registry other than GHCR, and never globs the arguments", async () => {
    await writeFile(path.join(work, "alpine.txt"), "");
    const run = await runAction({
      CROSSDOCK_COMMAND: "ref",
      CROSSDOCK_ARGS: "normalize alp*",
      TARGET_REGISTRY: "registry.example.com",
    });
    assert.notEqual(run.code, 0, "alp* is no reference: crossdock refuses it");
    assert.deepEqual((await readFile(path.join(work, "argv"), "utf8")).trim().split("\n").slice(2), [
      "ref",
      "normalize",
      "alp*",
    ]);
    assert.equal((await readFile(path.join(work, "auth-env"), "utf8")).trim(), "");
    assert.doesNotMatch(run.out, /workflow-token-value/);
  });
});

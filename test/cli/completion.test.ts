/**
 * `crossdock completion bash|zsh|fish`: the bash script sourced in a real bash and asked as bash's
 * completion would ask it (COMP_WORDS, COMP_CWORD); the zsh and fish scripts syntax-checked by
 * their shells and run in them where installed (apt-get install -y zsh fish; CI installs both),
 * string-checked everywhere.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { buildProgram } from "../../src/cli/main.js";
import { cliPath } from "../helpers/paths.js";
import { skipUnless } from "../helpers/tools.js";

const run = promisify(execFile);

async function script(shell: string): Promise<string> {
  return (await run(process.execPath, [cliPath, "completion", shell])).stdout;
}

describe("crossdock completion", () => {
  let dir: string;
  const files: Record<string, string> = {};

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "crossdock-completion-"));
    for (const shell of ["bash", "zsh", "fish"]) {
      files[shell] = path.join(dir, `crossdock.${shell}`);
      await writeFile(files[shell]!, await script(shell));
    }
    await writeFile(
      path.join(dir, "crossdock.yaml"),
      [
        "mappings:",
        "  - from: docker.io/kubeflowkatib",
        '    to: "ghcr.io/kubeflow/katib" # the new home',
        "thirdParty:",
        "  mirror: ghcr.io/kubeflow/katib/mirror",
        "",
      ].join("\n"),
    );
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** What bash's completion offers for `words`, the last one being completed. */
  async function complete(...words: string[]): Promise<string[]> {
    const array = words.map((w) => `'${w}'`).join(" ");
    const { stdout } = await run(
      "bash",
      [
        "-c",
        `source "$0"; COMP_WORDS=(${array}); COMP_CWORD=${words.length - 1}; _crossdock; printf '%s\\n' "\${COMPREPLY[@]}"`,
        files["bash"]!,
      ],
      { cwd: dir },
    );
    return stdout.split("\n").filter((line) => line !== "");
  }

  it("offers every command of the program, read from the command tree", async () => {
    const names = buildProgram().commands.map((c) => c.name());
    assert.ok(names.includes("completion"));
    assert.deepEqual((await complete("crossdock", "")).sort(), [...names].sort());
    assert.deepEqual(await complete("crossdock", "co"), ["copy", "completion"]);
  });

  it("offers subcommands, then the subcommand's flags", async () => {
    assert.deepEqual(await complete("crossdock", "ref", ""), ["normalize"]);
    assert.deepEqual(await complete("crossdock", "ref", "normalize", "--"), ["--json", "--help"]);
  });

  it("offers a command's own flags, skipping the values of flags typed before", async () => {
    assert.deepEqual(await complete("crossdock", "copy", "--platform", "linux/amd64", "--pl"), [
      "--platform",
    ]);
    assert.deepEqual(await complete("crossdock", "sync", "--dry", "x"), []);
    assert.ok((await complete("crossdock", "sync", "--")).includes("--exclude-tags"));
  });

  it("offers crossdock.yaml's prefixes where a registry or image goes", async () => {
    assert.deepEqual(await complete("crossdock", "sync", "--from", ""), [
      "docker.io/kubeflowkatib",
      "ghcr.io/kubeflow/katib",
      "ghcr.io/kubeflow/katib/mirror",
    ]);
    assert.deepEqual(await complete("crossdock", "copy", "gh"), [
      "ghcr.io/kubeflow/katib",
      "ghcr.io/kubeflow/katib/mirror",
    ]);
    // A flag whose value is no prefix gets none (bash then completes file names).
    assert.deepEqual(await complete("crossdock", "sync", "--tags", ""), []);
  });

  it("runs in zsh: the same walk and tables offer the same words (compadd and _files stubbed)", {
    skip: skipUnless("zsh"),
  }, async () => {
    /** What the zsh function hands compadd for `words` (unfiltered: compadd filters by prefix). */
    const offer = async (...words: string[]): Promise<string[]> => {
      const compadd = 'compadd() { print -l -- "$' + '{(@P)2}"; }';
      const stubs = `compdef() { :; }; ${compadd}; _files() { print "<files>"; }`;
      const array = words.map((w) => `'${w}'`).join(" ");
      const { stdout } = await run(
        "zsh",
        [
          "-c",
          `${stubs}; source "$0"; words=(${array}); CURRENT=${words.length}; PREFIX='${words.at(-1)}'; _crossdock`,
          files["zsh"]!,
        ],
        { cwd: dir },
      );
      return stdout.split("\n").filter((line) => line !== "");
    };
    assert.deepEqual(await offer("crossdock", "ref", ""), ["normalize"]);
    assert.deepEqual(await offer("crossdock", "ref", "normalize", "--"), ["--json", "--help"]);
    assert.deepEqual(await offer("crossdock", "sync", "--from", ""), [
      "docker.io/kubeflowkatib",
      "ghcr.io/kubeflow/katib",
      "ghcr.io/kubeflow/katib/mirror",
    ]);
    assert.deepEqual(await offer("crossdock", "scan", ""), ["<files>"]);
  });

  it("offers the shells to `completion`", async () => {
    assert.deepEqual(await complete("crossdock", "completion", ""), ["bash", "zsh", "fish"]);
  });

  it("writes zsh and fish scripts their shells accept, naming every command", async () => {
    const zsh = await script("zsh");
    const fish = await script("fish");
    assert.match(zsh, /^#compdef crossdock\n/);
    for (const name of buildProgram().commands.map((c) => c.name())) {
      assert.match(zsh, new RegExp(`echo '[^']*\\b${name}\\b`));
      assert.match(fish, new RegExp(`-a ${name} -d `));
    }
    assert.match(
      fish,
      /complete -c crossdock -n '__crossdock_at \\'sync\\'' -l from -x -a '\(__crossdock_prefixes\)'/,
    );
  });

  it("writes a zsh script zsh accepts", { skip: skipUnless("zsh") }, async () => {
    await run("zsh", ["-n", files["zsh"]!]);
  });

  it("writes a fish script fish accepts, offering commands and prefixes", {
    skip: skipUnless("fish"),
  }, async () => {
    await run("fish", ["--no-execute", files["fish"]!]);
    const complete = async (line: string): Promise<string[]> => {
      const { stdout } = await run("fish", ["-c", `source $argv[1]; complete -C '${line}'`, files["fish"]!], {
        cwd: dir,
      });
      return stdout
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => l.split("\t")[0]!);
    };
    assert.deepEqual((await complete("crossdock co")).sort(), ["completion", "copy"]);
    assert.deepEqual(await complete("crossdock ref "), ["normalize"]);
    assert.deepEqual((await complete("crossdock sync --from ")).sort(), [
      "docker.io/kubeflowkatib",
      "ghcr.io/kubeflow/katib",
      "ghcr.io/kubeflow/katib/mirror",
    ]);
  });

  it("refuses a shell it does not know, with exit 2", async () => {
    await assert.rejects(
      run(process.execPath, [cliPath, "completion", "pwsh"]),
      (error: { code: number }) => {
        assert.equal(error.code, 2);
        return true;
      },
    );
  });
});

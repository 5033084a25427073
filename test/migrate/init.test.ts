import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { promisify } from "node:util";
import { UsageError } from "../../src/errors.js";
import { loadConfig, parseConfig } from "../../src/migrate/config/load-config.js";
import { initConfig } from "../../src/migrate/init.js";
import { planDraftMappings, renderDraftConfig } from "../../src/migrate/init-draft.js";
import {
  findOriginInGitConfig,
  ghcrTarget,
  parseGitHubRemote,
  readOriginUrl,
} from "../../src/migrate/init-remote.js";
import { formatMappingRule } from "../../src/reference/mapping.js";
import type { ImageSummary, Owner, Usage } from "../../src/scan/types.js";
import { cliPath, fixturePath } from "../helpers/paths.js";

const run = promisify(execFile);

const temps: string[] = [];
after(() => Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true }))));

/** A copy of the init-repo fixture in a temp dir, made a git repository with `origin` at `remote`. */
async function makeRepo(remote: string | undefined): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "crossdock-init-"));
  temps.push(dir);
  await cp(fixturePath("config", "init-repo"), dir, { recursive: true });
  await run("git", ["init", "-q", dir]);
  if (remote !== undefined) await run("git", ["-C", dir, "remote", "add", "origin", remote]);
  return dir;
}

function image(name: string, owner: Owner, count = 1, usage: Usage = "core"): ImageSummary {
  return { name, owner, usage, count, evidence: [], files: [], tags: [], digests: [] };
}

describe("parseGitHubRemote and ghcrTarget", () => {
  const cases: Array<[string, string | undefined]> = [
    ["https://github.com/Kubeflow/Katib.git", "ghcr.io/kubeflow/katib"],
    ["https://github.com/kubeflow/katib", "ghcr.io/kubeflow/katib"],
    ["https://github.com/kubeflow/katib/", "ghcr.io/kubeflow/katib"],
    ["https://x-access-token:abc@github.com/kubeflow/katib.git", "ghcr.io/kubeflow/katib"],
    ["git@github.com:Owner/My_Repo.git", "ghcr.io/owner/my_repo"],
    ["git@github.com:owner/repo", "ghcr.io/owner/repo"],
    ["ssh://git@github.com/owner/repo.git", "ghcr.io/owner/repo"],
    ["ssh://git@github.com:22/owner/repo.git", "ghcr.io/owner/repo"],
    ["git://github.com/owner/repo.js.git", "ghcr.io/owner/repo.js"],
    ["https://gitlab.com/owner/repo.git", undefined],
    ["git@github.example.com:owner/repo.git", undefined],
    ["https://github.com/owner", undefined],
    ["https://github.com/owner/repo/tree/main", undefined],
    ["/srv/git/repo.git", undefined],
    ["https://github.com/owner/.github.git", undefined],
  ];
  for (const [url, want] of cases) {
    it(`${url} -> ${want ?? "no target"}`, () => {
      const repository = parseGitHubRemote(url);
      assert.equal(repository === undefined ? undefined : ghcrTarget(repository), want);
    });
  }
});

describe("findOriginInGitConfig", () => {
  it('reads the url of [remote "origin"] only', () => {
    const text = [
      "[core]",
      "\trepositoryformatversion = 0",
      '[remote "upstream"]',
      "\turl = https://github.com/other/thing.git",
      '[remote "origin"]',
      "\turl = git@github.com:Owner/Repo.git",
      "\tfetch = +refs/heads/*:refs/remotes/origin/*",
      '[branch "main"]',
      "\tremote = origin",
    ].join("\n");
    assert.equal(findOriginInGitConfig(text), "git@github.com:Owner/Repo.git");
    assert.equal(findOriginInGitConfig("[core]\n\tbare = false\n"), undefined);
  });
});

describe("renderDraftConfig", () => {
  const images = [
    image("docker.io/kubeflowkatib/katib-ui", "own", 3),
    image("docker.io/kubeflowkatib/katib-controller", "own", 5),
    image("docker.io/kubeflowkatib/mxnet-mnist", "own", 1, "example"),
    image("docker.io/library/mysql", "third-party", 2),
    image("docker.io/library/own-but-official", "own"),
    image("docker.io/kindest/node", "third-party", 1, "example"),
    image("ghcr.io/kubeflow/katib/already-there", "own"),
  ];

  it("maps the one namespace of own images to the target, with its repositories, and parses", () => {
    const text = renderDraftConfig({ target: "ghcr.io/kubeflow/katib", images });
    const config = parseConfig(text, "crossdock.yaml");
    assert.deepEqual(config.rules.map(formatMappingRule), ["docker.io/kubeflowkatib=ghcr.io/kubeflow/katib"]);
    assert.deepEqual(config.mappings[0]?.repositories, ["katib-controller", "katib-ui", "mxnet-mnist"]);
    assert.deepEqual(config.thirdParty, { action: "leave" });
    assert.match(text, /^#\s+docker\.io\/library\/mysql \(2\)$/m, "third-party images are listed");
    assert.match(text, /^# {3}third-party, example:\n#\s+docker\.io\/kindest\/node \(1\)$/m);
    assert.match(text, /^ {6}- mxnet-mnist {2}# own, example, 1 reference$/m);
    assert.match(text, /^ {2}# mirror: ghcr\.io\/kubeflow\/katib\/mirror$/m);
  });

  it("gives each namespace its own path under the target when there are several", () => {
    const mappings = planDraftMappings(
      [
        ...images,
        image("docker.io/katibexamples/trial", "own", 1, "example"),
        image("quay.io/katib/tool", "own"),
      ],
      "ghcr.io/kubeflow/katib",
    );
    assert.deepEqual(
      mappings.map((m) => `${m.from}=${m.to}`),
      [
        "docker.io/katibexamples=ghcr.io/kubeflow/katib/katibexamples",
        "docker.io/kubeflowkatib=ghcr.io/kubeflow/katib/kubeflowkatib",
        "quay.io/katib=ghcr.io/kubeflow/katib/katib",
      ],
    );
  });

  it("maps a namespace on any registry, and with `from` everything under it, whoever the scan says owns it", () => {
    const quay = [image("quay.io/myorg/app", "own", 2), image("quay.io/myorg/base", "third-party")];
    assert.deepEqual(
      planDraftMappings(quay, "ghcr.io/myorg/proj").map((m) => [
        m.from,
        m.to,
        m.repositories.map((r) => r.name),
      ]),
      [["quay.io/myorg", "ghcr.io/myorg/proj", ["app"]]],
    );
    assert.deepEqual(
      planDraftMappings(quay, "ghcr.io/myorg/proj", "quay.io/myorg").map((m) => [
        m.from,
        m.repositories.map((r) => r.name),
      ]),
      [["quay.io/myorg", ["app", "base"]]],
    );
    // A `from` the scan found nothing under still gets its mapping.
    assert.deepEqual(
      planDraftMappings([], "ghcr.io/o/r", "registry.example.com:5000/team").map((m) => `${m.from}=${m.to}`),
      ["registry.example.com:5000/team=ghcr.io/o/r"],
    );
  });

  it("comments the mappings out without a target, and still parses", () => {
    const text = renderDraftConfig({ images });
    assert.match(text, /^mappings: \[\]$/m);
    assert.match(text, /^# {3}- from: docker\.io\/kubeflowkatib$/m);
    assert.deepEqual(parseConfig(text, "crossdock.yaml").rules, []);
  });

  it("parses without a scan", () => {
    const text = renderDraftConfig({ target: "ghcr.io/o/r" });
    assert.match(text, /No scan was run/);
    assert.deepEqual(parseConfig(text, "crossdock.yaml").rules, []);
  });
});

describe("initConfig", () => {
  it("suggests ghcr.io/OWNER/REPO from an https remote, lower case, and maps the scanned namespace", async () => {
    const dir = await makeRepo("https://github.com/Kubeflow/Katib.git");
    const result = await initConfig(dir);
    assert.equal(result.file, path.join(dir, "crossdock.yaml"));
    assert.equal(result.target, "ghcr.io/kubeflow/katib");
    assert.equal(result.remote, "github");
    const config = await loadConfig(result.file);
    assert.deepEqual(config.rules.map(formatMappingRule), ["docker.io/kubeflowkatib=ghcr.io/kubeflow/katib"]);
    assert.deepEqual(config.mappings[0]?.repositories, ["katib-ui", "mxnet-mnist"]);
    const text = await readFile(result.file, "utf8");
    assert.match(text, /^#\s+docker\.io\/library\/mysql \(1\)$/m);
  });

  it("suggests the target from an ssh remote", async () => {
    const dir = await makeRepo("git@github.com:Some-Owner/Some.Repo.git");
    const result = await initConfig(dir, { scan: false });
    assert.equal(result.target, "ghcr.io/some-owner/some.repo");
    assert.match(await readFile(result.file, "utf8"), /# mirror: ghcr\.io\/some-owner\/some\.repo\/mirror/);
  });

  it("reads .git/config itself when git does not know the directory", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "crossdock-init-"));
    temps.push(dir);
    await mkdir(path.join(dir, ".git"));
    await writeFile(path.join(dir, ".git", "config"), '[remote "origin"]\n\turl = https://github.com/A/B\n');
    assert.equal(await readOriginUrl(dir), "https://github.com/A/B");
    assert.equal((await initConfig(dir, { scan: false })).target, "ghcr.io/a/b");
  });

  it("works without a GitHub remote, leaving the mappings commented out", async () => {
    const dir = await makeRepo("https://gitlab.com/owner/repo.git");
    const result = await initConfig(dir);
    assert.equal(result.target, undefined);
    assert.equal(result.remote, "other");
    assert.deepEqual((await loadConfig(result.file)).rules, []);
  });

  it("refuses to overwrite an existing config without force, and overwrites with it", async () => {
    const dir = await makeRepo("git@github.com:owner/repo.git");
    const file = path.join(dir, "crossdock.yaml");
    await writeFile(file, "# mine\n");
    await assert.rejects(
      initConfig(dir),
      (error: unknown) =>
        error instanceof UsageError && error.code === "CONFIG_EXISTS" && error.message.includes(file),
    );
    assert.equal(await readFile(file, "utf8"), "# mine\n", "left as it was");
    await initConfig(dir, { force: true });
    assert.match(await readFile(file, "utf8"), /^ {4}to: ghcr\.io\/owner\/repo$/m);
  });

  it("refuses when crossdock.yml is there too", async () => {
    const dir = await makeRepo(undefined);
    await writeFile(path.join(dir, "crossdock.yml"), "");
    await assert.rejects(initConfig(dir, { scan: false }), (error: unknown) => error instanceof UsageError);
  });

  it("lists the project's base image beside the app it builds (same namespace), on any registry", async () => {
    for (const host of ["docker.io", "quay.io"]) {
      const dir = await mkdtemp(path.join(os.tmpdir(), "crossdock-init-"));
      temps.push(dir);
      await writeFile(path.join(dir, "Dockerfile"), `FROM ${host}/myorg/base:1\nRUN true\n`);
      await writeFile(
        path.join(dir, "Makefile"),
        `push:\n\tdocker build -t ${host}/myorg/app:v1 .\n\tdocker push ${host}/myorg/app:v1\n`,
      );
      const result = await initConfig(dir, { to: "ghcr.io/myorg/app" });
      const config = await loadConfig(result.file);
      assert.deepEqual(config.rules.map(formatMappingRule), [`${host}/myorg=ghcr.io/myorg/app`]);
      assert.deepEqual(config.mappings[0]?.repositories, ["app", "base"]);
    }
  });

  it("--from and --to choose the mapping; a bad prefix exits 2 and writes nothing", async () => {
    const dir = await makeRepo("https://gitlab.com/owner/repo.git");
    const ok = await run(process.execPath, [
      cliPath,
      "init",
      dir,
      "--from",
      "docker.io/kubeflowkatib",
      "--to",
      "registry.example.com/katib",
    ]);
    assert.match(ok.stderr, /target registry\.example\.com\/katib/);
    const config = await loadConfig(path.join(dir, "crossdock.yaml"));
    assert.deepEqual(config.rules.map(formatMappingRule), [
      "docker.io/kubeflowkatib=registry.example.com/katib",
    ]);
    assert.deepEqual(config.mappings[0]?.repositories, ["katib-ui", "mxnet-mnist"]);
    const other = await makeRepo(undefined);
    await assert.rejects(
      run(process.execPath, [cliPath, "init", other, "--to", "ghcr.io/Bad Name"]),
      (error: unknown) => {
        const failure = error as { code?: number; stderr?: string };
        assert.equal(failure.code, 2);
        assert.match(failure.stderr ?? "", /--to ghcr\.io\/Bad Name: not a registry prefix/);
        return true;
      },
    );
    await assert.rejects(readFile(path.join(other, "crossdock.yaml")), { code: "ENOENT" });
  });

  it("the CLI exits 0, then 2 when the file exists", async () => {
    const dir = await makeRepo("https://github.com/owner/repo");
    const first = await run(process.execPath, [cliPath, "init", dir]);
    assert.equal(first.stdout.trim(), path.join(dir, "crossdock.yaml"));
    assert.match(first.stderr, /target ghcr\.io\/owner\/repo/);
    await assert.rejects(run(process.execPath, [cliPath, "init", dir]), (error: unknown) => {
      const failure = error as { code?: number; stderr?: string };
      assert.equal(failure.code, 2);
      assert.match(failure.stderr ?? "", /already exists: use --force/);
      return true;
    });
  });
});

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { createSyntheticImage } from "../../src/oci/synthetic.js";
import type { DistributionRegistry } from "../helpers/distribution.js";
import { cliPath } from "../helpers/paths.js";
import { seedImage } from "../helpers/seed.js";
import { startServeRegistry } from "../helpers/serve.js";

const run = promisify(execFile);

async function digestAt(registry: DistributionRegistry, repo: string, tag: string): Promise<string | null> {
  const response = await fetch(`${registry.url}/v2/${repo}/manifests/${tag}`, {
    method: "HEAD",
    headers: {
      accept: "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json",
    },
  });
  return response.status === 200 ? response.headers.get("docker-content-digest") : null;
}

describe("sync endpoints: OCI layout directories and crossdock.yaml", () => {
  let source: DistributionRegistry;
  let target: DistributionRegistry;
  let work: string;
  const roots = new Map<string, string>();

  before(async () => {
    [source, target] = await Promise.all([startServeRegistry(), startServeRegistry()]);
    work = await mkdtemp(path.join(os.tmpdir(), "crossdock-sync-endpoints-"));
    for (const repo of ["katib-ui", "katib-controller"]) {
      for (const tag of ["v0.16.0", "v0.17.0", "latest"]) {
        const image = createSyntheticImage({ seed: `${repo}:${tag}` });
        await seedImage(source.url, `kubeflowkatib/${repo}`, image, tag);
        roots.set(`${repo}:${tag}`, image.root.digest);
      }
    }
  });
  after(async () => {
    await Promise.all([source?.stop(), target?.stop()]);
    if (work) await rm(work, { recursive: true, force: true });
  });

  test("across an air gap: registry -> oci:DIR (a layout per repository) -> registry, digests kept", async () => {
    const carry = path.join(work, "carry");
    await run(process.execPath, [
      cliPath,
      "sync",
      "--quiet",
      "--from",
      `${source.host}/kubeflowkatib`,
      "--to",
      `oci:${carry}`,
      "--tags",
      "v.*",
    ]);
    const index = JSON.parse(await readFile(path.join(carry, "katib-ui", "index.json"), "utf8")) as {
      manifests: { digest: string; annotations: Record<string, string> }[];
    };
    assert.deepEqual(
      index.manifests.map((m) => [m.annotations["org.opencontainers.image.ref.name"], m.digest]).sort(),
      [
        ["v0.16.0", roots.get("katib-ui:v0.16.0")],
        ["v0.17.0", roots.get("katib-ui:v0.17.0")],
      ],
    );
    await run(process.execPath, [
      cliPath,
      "sync",
      "--quiet",
      "--from",
      `oci:${carry}`,
      "--to",
      `${target.host}/airgap`,
    ]);
    for (const repo of ["katib-ui", "katib-controller"]) {
      for (const tag of ["v0.16.0", "v0.17.0"])
        assert.equal(await digestAt(target, `airgap/${repo}`, tag), roots.get(`${repo}:${tag}`));
      assert.equal(
        await digestAt(target, `airgap/${repo}`, "latest"),
        null,
        "the tag filter left latest behind",
      );
    }
  });

  test("without --from/--to, crossdock.yaml's mappings, repositories and tag policies decide", async () => {
    const dir = path.join(work, "project");
    await run("mkdir", ["-p", dir]);
    await writeFile(
      path.join(dir, "crossdock.yaml"),
      [
        "mappings:",
        `  - from: ${source.host}/kubeflowkatib`,
        `    to: ${target.host}/kubeflow/katib`,
        "    repositories: [katib-ui]",
        "    tags: { semver: '>=0.17.0' }",
        "",
      ].join("\n"),
    );
    const { stdout } = await run(process.execPath, [cliPath, "sync", "--json"], { cwd: dir });
    const report = JSON.parse(stdout) as { entries: { target: string; status: string }[] };
    assert.deepEqual(
      report.entries.map((e) => `${e.status} ${e.target}`),
      [`copied ${target.host}/kubeflow/katib/katib-ui:v0.17.0`],
    );
    assert.equal(await digestAt(target, "kubeflow/katib/katib-ui", "v0.17.0"), roots.get("katib-ui:v0.17.0"));
  });

  test("a bad tag filter is a usage error before any registry is asked anything", async () => {
    source.clearAccessLog();
    await assert.rejects(
      run(process.execPath, [
        cliPath,
        "sync",
        "--from",
        `${source.host}/kubeflowkatib`,
        "--to",
        `${target.host}/x`,
        "--tags",
        "(",
      ]),
      (e: { code: number; stderr: string }) =>
        e.code === 2 && /--tags: invalid regular expression/.test(e.stderr),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(source.accessLog(), [], "the source registry saw no request");
  });

  test("half an endpoint pair is a usage error", async () => {
    await assert.rejects(
      run(process.execPath, [cliPath, "sync", "--from", `${source.host}/kubeflowkatib`]),
      (e: { code: number; stderr: string }) => e.code === 2 && /both --from and --to/.test(e.stderr),
    );
  });
});

/**
 * The Dockerfile, read with crossdock's own Dockerfile scanner (no Docker engine here): a pinned
 * base, two stages, a non-root user, `crossdock` as the entry point, the OCI labels GHCR needs, and
 * exactly the install the tarball test does.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { before, describe, it } from "node:test";
import {
  type DockerfileInstruction,
  readDockerfileInstructions,
} from "../../src/scan/dockerfile/instructions.js";
import { scanText } from "../../src/scan/scan-text.js";
import { installFlags } from "../helpers/package-tarball.js";
import { repoRoot } from "../helpers/paths.js";

/** `KEY=VALUE` pairs of a LABEL or ARG, quotes removed. */
function readPairs(args: string): Map<string, string> {
  const pairs = [...args.matchAll(/([\w.-]+)=("(?:[^"\\]|\\.)*"|\S*)/g)];
  return new Map(pairs.map((m) => [m[1]!, m[2]!.replace(/^"(.*)"$/, "$1")]));
}

describe("Dockerfile", () => {
  let text: string;
  let instructions: DockerfileInstruction[];
  /** The instructions of the last stage, the image that ships. */
  let final: DockerfileInstruction[];

  before(async () => {
    text = await readFile(path.join(repoRoot, "Dockerfile"), "utf8");
    instructions = readDockerfileInstructions(text);
    const lastFrom = instructions.findLastIndex((i) => i.keyword === "FROM");
    final = instructions.slice(lastFrom + 1);
  });

  it("builds in one stage and ships another", () => {
    assert.equal(instructions.filter((i) => i.keyword === "FROM").length, 2);
  });

  it("starts from Node 20, pinned by digest", () => {
    const bases = scanText("Dockerfile", text).references.filter((r) => r.context.includes("FROM"));
    assert.ok(bases.length > 0, "the scanner found no base image");
    for (const base of bases) {
      assert.equal(base.reference?.name, "docker.io/library/node", base.text);
      assert.match(base.reference?.tag ?? "", /^20[.-]/, base.text);
      assert.match(base.reference?.digest ?? "", /^sha256:[a-f0-9]{64}$/, `${base.text} is not pinned`);
    }
  });

  it("runs as a user other than root", () => {
    const user = final.findLast((i) => i.keyword === "USER")?.args;
    assert.ok(user !== undefined, "no USER in the final stage");
    assert.ok(!/^(root|0)(:|$)/.test(user), `USER ${user}`);
  });

  it("has crossdock as its entry point", () => {
    const entrypoint = final.findLast((i) => i.keyword === "ENTRYPOINT");
    assert.deepEqual(JSON.parse(entrypoint?.args ?? "null"), ["crossdock"]);
  });

  it("carries the OCI labels, the source among them (GHCR links the package through it)", async () => {
    const labels = new Map(final.filter((i) => i.keyword === "LABEL").flatMap((i) => [...readPairs(i.args)]));
    const { license } = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as {
      license: string;
    };
    assert.equal(labels.get("org.opencontainers.image.licenses"), license);
    assert.equal(labels.get("org.opencontainers.image.title"), "crossdock");
    assert.equal(labels.get("org.opencontainers.image.source"), "$" + "{SOURCE}");
    assert.ok(final.some((i) => i.keyword === "ARG" && readPairs(i.args).has("SOURCE")));
  });

  it("installs exactly the tarball `npm pack` made, as the tarball test installs it", () => {
    const pack = instructions.find((i) => i.keyword === "RUN" && /\bnpm pack\b/.test(i.args));
    assert.ok(pack !== undefined, "no stage runs npm pack");
    // A plain `npm pack` (no --ignore-scripts): its prepack builds dist/ from the sources.
    assert.doesNotMatch(pack.args, /--ignore-scripts/);
    const packed = /mv \S+ (\S+\.tgz)/.exec(pack.args)?.[1];
    const copy = final.find((i) => i.keyword === "COPY");
    const [, from, source, dest] = /^--from=(\S+) (\S+) (\S+)$/.exec(copy?.args ?? "") ?? [];
    assert.equal(from, "pack");
    assert.equal(source, packed, "the final stage copies something else than the tarball");
    const runs = final.filter((i) => i.keyword === "RUN");
    assert.equal(runs.length, 1, "the final stage runs more than the install");
    const install = /npm install -g ((?:--\S+ )*)(\S+)/.exec(runs[0]!.args);
    assert.ok(install !== null, runs[0]!.args);
    assert.deepEqual(install[1]!.trim().split(" "), installFlags);
    assert.equal(install[2], dest);
  });
});

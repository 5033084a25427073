import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { planCopies } from "../../src/migrate/plan-copies.js";
import { parseMappingRule, reverseRules } from "../../src/reference/mapping.js";
import { applyRewrite, prepareRewrite } from "../../src/rewrite/rewrite-repository.js";
import { scanRepository } from "../../src/scan/scan-repository.js";
import type { Occurrence } from "../../src/scan/types.js";
import { planVerifyPairs } from "../../src/verify/pairs.js";
import { cliPath, fixturePath } from "../helpers/paths.js";

const run = promisify(execFile);
const fixture = fixturePath("scan", "repo-org-mapping");
const map = "docker.io/acmeorg=ghcr.io/acme/acmeorg";
const rules = [parseMappingRule(map)];

/**
 * Every line a Docker Hub organisation mapping may edit in the fixture: the images, with their
 * evidence (an image key, FROM, a docker command, or the exact name of an image found so). Nothing
 * else: not `github.repository == 'acmeorg/widget'`, Go module paths, renovate's package names, a
 * governance document's repository names, a URL without a scheme, or `reportFile="report.xml"`.
 */
const imageLines = [
  ".github/workflows/release.yml:9 acmeorg/widget-builder:2024.1",
  // Push destinations with the tag from CI: the name is rewritten, the variable kept.
  ".github/workflows/release.yml:15 acmeorg/widget-controller",
  ".github/workflows/release.yml:16 acmeorg/widget-controller",
  "CHANGELOG.md:7 acmeorg/widget-controller",
  "Dockerfile:1 acmeorg/widget-base:1.4",
  "cmd/widget/main.go:14 acmeorg/widget-controller",
  "docs/GOVERNANCE.md:6 acmeorg/widget-controller:v1.1.0",
  "manifests/deployment.yaml:10 acmeorg/widget-migrate",
  "manifests/deployment.yaml:13 acmeorg/widget-controller:v1.1.0",
];

describe("evidence for short names under a Docker Hub organisation mapping", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "crossdock-evidence-"));
    await cp(fixture, dir, { recursive: true });
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("plans edits of the images only", async () => {
    const prepared = await prepareRewrite(dir, { rules });
    const edited = [...prepared.plan.edits.values()].flat().map((e) => `${e.file}:${e.line} ${e.before}`);
    assert.deepEqual(edited.sort(), [...imageLines].sort());
  });

  it("lists bare names without evidence as not rewritten, and drops what is certainly no image", async () => {
    const prepared = await prepareRewrite(dir, { rules });
    const noEvidence = prepared.plan.attention
      .filter((a) => a.reason.startsWith("not rewritten: no evidence"))
      .map((a) => `${a.file}:${a.line} ${a.text}`);
    assert.ok(noEvidence.includes("docs/GOVERNANCE.md:3 acmeorg/community"), noEvidence.join("\n"));
    assert.ok(noEvidence.includes("CHANGELOG.md:5 acmeorg/widget/pkg/client"), noEvidence.join("\n"));
    const all = prepared.scan.references.map((o) => `${o.file}:${o.line} ${o.text}`);
    for (const gone of [
      ".github/workflows/release.yml:7 acmeorg/widget",
      ".github/workflows/release.yml:13 acmeorg/widget",
      ".github/workflows/release.yml:18 acmeorg/widget",
      "renovate.json:5 acmeorg/widget",
      "manifests/deployment.yaml:16 localhost:8080/volumes/api/storageclasses",
      "scripts/test-report.sh:2 report.xml",
    ]) {
      assert.ok(!all.includes(gone), `${gone} is not a reference`);
    }
    // No image is summarised from a name without evidence; the others are the project's own (its
    // namespace), so they sort by name.
    assert.deepEqual(
      prepared.scan.images
        .filter((i) => i.name.startsWith("docker.io/acmeorg/"))
        .map((i) => `${i.name} ${i.owner}`),
      [
        "docker.io/acmeorg/widget-base own",
        "docker.io/acmeorg/widget-builder own",
        "docker.io/acmeorg/widget-controller own",
        "docker.io/acmeorg/widget-migrate own",
      ],
    );
  });

  it("says where the evidence of a promoted bare name is", async () => {
    const result = await scanRepository(dir, { rules });
    const changelog = result.references.find((o) => o.file === "CHANGELOG.md" && o.line === 7) as Occurrence;
    assert.equal(changelog.noEvidence, undefined);
    assert.match(changelog.context, /^free text; an image at docs\/GOVERNANCE\.md:6$/);
  });

  it("migrate copies and verify checks only the images", async () => {
    const result = await scanRepository(dir, { rules });
    const images = [
      "docker.io/acmeorg/widget-base",
      "docker.io/acmeorg/widget-builder",
      "docker.io/acmeorg/widget-controller",
      "docker.io/acmeorg/widget-migrate",
    ];
    const copies = planCopies(result.references, result.images, rules).copies.map((c) => c.source.name);
    assert.deepEqual([...new Set(copies)].sort(), images);
    const pairs = planVerifyPairs(result.references, rules).pairs.map((p) => p.source.name);
    assert.deepEqual([...new Set(pairs)].sort(), images);
  });

  it("scan --json marks them, and the text report lists them", async () => {
    const json = JSON.parse(
      (await run(process.execPath, [cliPath, "scan", "--json", "--map", map, dir])).stdout,
    );
    const marked = json.references.filter((o: Occurrence) => o.noEvidence === true);
    assert.ok(
      marked.some((o: Occurrence) => o.file === "docs/GOVERNANCE.md" && o.text === "acmeorg/community"),
    );
    const { stdout } = await run(process.execPath, [cliPath, "scan", "--map", map, dir]);
    assert.match(stdout, /^not rewritten: no evidence .*: \d+$/m);
    assert.match(stdout, /^ {2}docs\/GOVERNANCE\.md:3 {2}acmeorg\/community/m);
  });

  it("forward then reverse (with the journal) gives back every byte", async () => {
    const original = await snapshot(dir);
    const forward = await prepareRewrite(dir, { rules });
    const written = await applyRewrite(forward);
    assert.deepEqual(written.refused, []);
    assert.deepEqual(written.unconfirmed, []);
    assert.notDeepEqual(await snapshot(dir), original);
    const back = await prepareRewrite(dir, { rules: reverseRules(rules), journal: forward.plan.journal });
    await applyRewrite(back);
    assert.deepEqual(await snapshot(dir), original);
  });
});

/** Every file under `dir` and its bytes, by path. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath ?? entry.path, entry.name);
    out.set(path.relative(dir, full), (await readFile(full)).toString("base64"));
  }
  return out;
}

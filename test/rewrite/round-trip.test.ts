import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { type MappingRule, parseMappingRule, reverseRules } from "../../src/reference/mapping.js";
import { applyEdits, decodeFile } from "../../src/rewrite/apply.js";
import { planRewrite } from "../../src/rewrite/plan.js";
import type { JournalEntry } from "../../src/rewrite/types.js";
import { planUndo } from "../../src/rewrite/undo-journal.js";
import { scanText } from "../../src/scan/scan-text.js";
import { fixturePath } from "../helpers/paths.js";

/** Every scan fixture file, as [path relative to the fixtures, text]. */
function fixtureFiles(): Array<[string, string]> {
  const root = fixturePath("scan");
  const out: Array<[string, string]> = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && !entry.name.endsWith(".expected.json")) {
        out.push([path.relative(root, full), decodeFile(full, readFileSync(full)).text]);
      }
    }
  };
  walk(root);
  return out;
}

/** Runs one rewrite of a text in memory: scan, plan, splice. */
function rewriteOnce(
  file: string,
  text: string,
  rules: readonly MappingRule[],
  journal?: readonly JournalEntry[],
) {
  const occurrences = scanText(file, text, { rules }).references;
  const plan = planRewrite({
    occurrences,
    texts: new Map([[file, text]]),
    rules,
    ...(journal ? { journal } : {}),
  });
  const edits = plan.edits.get(file) ?? [];
  return { text: applyEdits(text, edits), edits: edits.length, journal: plan.journal };
}

const files = fixtureFiles();

/** The registry hosts the fixtures refer to: the candidates for rules. */
const domains = [
  ...new Set(
    files.flatMap(([file, text]) =>
      scanText(file, text, {}).references.flatMap((o) => (o.reference ? [o.reference.domain] : [])),
    ),
  ),
].filter((d) => d !== "" && d !== "mirror.example.com");

test("the fixtures give the property something to move", () => {
  assert.ok(files.length >= 20, `only ${files.length} fixture files`);
  assert.ok(domains.includes("docker.io") && domains.length >= 3, `domains: ${domains.join(", ")}`);
});

test("forward then reverse gives back the original bytes; a second forward run changes nothing", () => {
  let moved = 0;
  fc.assert(
    fc.property(fc.subarray(domains, { minLength: 1 }), (chosen) => {
      const rules = chosen.map((d) => parseMappingRule(`${d}=mirror.example.com/${d.replace(/[.:]/g, "-")}`));
      for (const [file, original] of files) {
        const forward = rewriteOnce(file, original, rules);
        moved += forward.edits;
        const again = rewriteOnce(file, forward.text, rules);
        assert.equal(again.edits, 0, `${file}: a second forward run edits`);
        assert.equal(again.text, forward.text);
        const back = rewriteOnce(file, forward.text, reverseRules(rules), forward.journal);
        assert.equal(back.text, original, `${file}: reverse mapping does not restore the original`);
      }
    }),
    { numRuns: 25, seed: 20261126 },
  );
  assert.ok(moved > 100, `the property moved only ${moved} references`);
});

test("without the journal the reverse mapping still names the same images, fully qualified", () => {
  const rules = [parseMappingRule("docker.io/kubeflowkatib=ghcr.io/kubeflow/katib")];
  const text = "image: kubeflowkatib/katib-ui:v0.18.0\n";
  const forward = rewriteOnce("a.yaml", text, rules);
  assert.equal(forward.text, "image: ghcr.io/kubeflow/katib/katib-ui:v0.18.0\n");
  assert.equal(
    rewriteOnce("a.yaml", forward.text, reverseRules(rules)).text,
    "image: docker.io/kubeflowkatib/katib-ui:v0.18.0\n",
  );
  assert.equal(rewriteOnce("a.yaml", forward.text, reverseRules(rules), forward.journal).text, text);
});

test("undoing the journal gives back the original bytes with no rule at all, whole or one entry at a time", () => {
  let undone = 0;
  fc.assert(
    fc.property(fc.subarray(domains, { minLength: 1 }), (chosen) => {
      const rules = chosen.map((d) => parseMappingRule(`${d}=mirror.example.com/${d.replace(/[.:]/g, "-")}`));
      for (const [file, original] of files) {
        const forward = rewriteOnce(file, original, rules);
        const undo = planUndo(file, forward.text, forward.journal);
        assert.ok("splices" in undo, `${file}: ${"problem" in undo ? undo.problem : ""}`);
        assert.equal(
          applyEdits(forward.text, undo.splices),
          original,
          `${file}: the undo does not restore it`,
        );
        undone += undo.splices.length;
        // One entry alone (a rollback of one image) changes exactly that entry's text back.
        const first = forward.journal[0];
        if (!first) continue;
        const one = planUndo(file, forward.text, [first]);
        assert.ok("splices" in one && one.splices.length === 1);
        const partly = applyEdits(forward.text, one.splices);
        assert.equal(partly.length - forward.text.length, first.before.length - first.after.length);
        assert.ok(
          "splices" in planUndo(file, partly, forward.journal.slice(1)),
          `${file}: the rest still undoes`,
        );
      }
    }),
    { numRuns: 10, seed: 20261204 },
  );
  assert.ok(undone > 50, `the property undid only ${undone} edits`);
});

test("an undo refuses a journal entry that is not on its line any more", () => {
  const entry = { file: "a.yaml", line: 2, ordinal: 0, before: "mysql:8", after: "ghcr.io/x/mysql:8" };
  assert.deepEqual(planUndo("a.yaml", "# moved\n\nimage: ghcr.io/x/mysql:8\n", [entry]), {
    problem: "a.yaml:2: ghcr.io/x/mysql:8 is not there any more",
  });
  const two = [
    { ...entry, line: 1, ordinal: 1, before: "b:1", after: "r/b:1" },
    { ...entry, line: 1, ordinal: 0, before: "a:1", after: "r/a:1" },
  ];
  const undo = planUndo("a.sh", "docker pull r/a:1 r/b:1\n", two);
  assert.ok("splices" in undo);
  assert.equal(applyEdits("docker pull r/a:1 r/b:1\n", undo.splices), "docker pull a:1 b:1\n");
});

import path from "node:path";
import { demoPullLimit } from "./registries.js";
import type { DemoOutcome } from "./run-demo.js";
import { demoTargets, unpublishedFile, unpublishedImage } from "./sample-repo.js";

/** The first line the demo prints: what is about to happen. */
export const demoIntro =
  "crossdock demo: a Docker Hub -> GHCR migration rehearsed on this machine, offline. Two registries start in this process, a small Katib-like project is published to the first, and `crossdock migrate` moves its images to the second and rewrites a sample repository that refers to them.";

/** The diff summary: how many files and edits, each file's changed lines, and one before/after. */
export function formatDiffSummary(outcome: DemoOutcome): string[] {
  const { migration, changes } = outcome;
  const lines = [
    `## What changed in the repository`,
    "",
    `${migration.filesChanged} files changed, ${migration.edits} references rewritten:`,
  ];
  const width = Math.max(0, ...changes.map((change) => change.file.length));
  for (const change of changes) {
    lines.push(`  ${change.file.padEnd(width)}  ${change.lines} line${change.lines === 1 ? "" : "s"}`);
  }
  const shown = changes.find((change) => change.file.endsWith("controller.yaml")) ?? changes[0];
  if (shown?.example !== undefined) {
    lines.push(
      "",
      `For example, in ${shown.file}:`,
      `  - ${shown.example.before}`,
      `  + ${shown.example.after}`,
    );
  }
  return lines;
}

/** The verdict in plain words: why the migration is not `ok`, and why that is the point. */
export function formatVerdict(outcome: DemoOutcome): string[] {
  const { verdict, migration, hosts, budget } = outcome;
  const pinned = `${hosts.hub}/${unpublishedImage.repository}:${unpublishedImage.tag}`;
  const lines = ["## What the demo shows", ""];
  if (!verdict.ok) {
    lines.push("The demo did not go as expected:");
    for (const problem of verdict.problems) lines.push(`  - ${problem}`);
    return lines;
  }
  lines.push(
    `Every image moved with its digests, platforms and signature, and every reference was rewritten, except one: ${unpublishedFile} pins ${pinned}, a tag nobody ever published. There was nothing to copy, so its new reference cannot resolve. That is on purpose: the migration's verify step caught it, before anyone's notebook broke. In a real migration you would point the notebook at a tag that exists (v0.18.0) or publish that one, then verify again.`,
  );
  if (migration.attentionCount > 0) {
    lines.push(
      "",
      `The report's "Needs attention" list has ${migration.attentionCount} item(s): that pin, and references crossdock does not rewrite by themselves, such as \`$(REGISTRY)/katib-ui:$(TAG)\` in the Makefile, which follows REGISTRY, rewritten where it is set. Read them before merging.`,
    );
  }
  if (budget !== undefined) {
    const used = budget.limit - budget.remaining;
    const window =
      budget.windowSeconds === undefined ? "" : ` per ${Math.round(budget.windowSeconds / 3600)} h`;
    lines.push(
      "",
      `"Docker Hub" pull budget: ${used} of ${budget.limit}${window} used, ${budget.remaining} left (manifest GETs count; HEADs, which find what is already there, do not).`,
    );
  }
  return lines;
}

/** Where everything is, and the exact commands to look again by hand. */
export function formatWhere(outcome: DemoOutcome): string[] {
  const { hosts, keptDir } = outcome;
  const { own } = demoTargets(hosts);
  const seconds = (outcome.durationMs / 1000).toFixed(1);
  if (keptDir === undefined) {
    return [
      "## Where everything is",
      "",
      `Done in ${seconds} s. Everything was cleaned up: the registries stopped and the temporary files are gone.`,
      "To keep the sample repository and both registries' storage and look around, run:",
      "",
      "  npx crossdock demo --keep ./crossdock-demo",
    ];
  }
  const q = shellQuote;
  const hub = path.join(keptDir, "registries", "hub");
  const ghcr = path.join(keptDir, "registries", "ghcr");
  const repo = outcome.repoDir;
  return [
    "## Where everything is",
    "",
    `Done in ${seconds} s. Everything is in ${keptDir}:`,
    `  ${repo}  the sample repository, migrated (crossdock.lock and the report are there too)`,
    `  ${hub}  the "Docker Hub" storage`,
    `  ${ghcr}  the "GHCR" storage`,
    "",
    "The registries stopped with the demo. To look around by hand, start them again on the same ports (each in its own terminal; without --auth anyone may pull and push, since the demo's generated password was never kept):",
    "",
    `  npx crossdock serve --storage ${q(hub)} --addr ${hosts.hub} --pull-limit ${demoPullLimit.limit}/${demoPullLimit.windowSeconds / 3600}h`,
    `  npx crossdock serve --storage ${q(ghcr)} --addr ${hosts.ghcr}`,
    "",
    "then, in a third:",
    "",
    `  npx crossdock tags ${own}/katib-controller`,
    `  npx crossdock inspect ${own}/katib-controller:v0.18.0`,
    `  npx crossdock scan ${q(repo)}`,
    `  npx crossdock verify ${q(repo)}`,
    `  npx crossdock migrate ${q(repo)}    # again: nothing left to copy or rewrite`,
  ];
}

/** Quotes a path for a POSIX shell when it needs it. */
function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}

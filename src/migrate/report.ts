import type { CopyCounters } from "../copy/counters.js";
import type { RateLimitReading } from "../copy/pull-budget.js";
import { isIndexMediaType } from "../oci/media-types.js";
import { formatMappingRule, type MappingRule } from "../reference/mapping.js";
import { parseReference } from "../reference/reference.js";
import type { Attention, Edit } from "../rewrite/types.js";
import type { Login, Owner, Problem, Usage } from "../scan/types.js";
import type { VerifyItem, VerifyResult } from "../verify/verify.js";

/** What happened to one image of a migration. */
export interface CopyOutcome {
  readonly source: string;
  readonly target: string;
  readonly owner: Owner;
  readonly usage: Usage;
  readonly where: readonly string[];
  readonly status: "copied" | "in-sync" | "would-copy" | "failed";
  readonly digest?: string;
  readonly mediaType?: string;
  readonly platforms?: readonly string[];
  readonly error?: string;
}

/** Everything the report says. */
export interface ReportInput {
  readonly dir: string;
  readonly dryRun: boolean;
  readonly rules: readonly MappingRule[];
  readonly copies: readonly CopyOutcome[];
  readonly counters: CopyCounters;
  readonly editsByForm: ReadonlyMap<string, number>;
  readonly filesChanged: number;
  readonly edits: number;
  readonly attention: readonly Attention[];
  /** Files and directories the scan could not read (see Problem.unread): the migration is incomplete while they are there. */
  readonly unread?: readonly Problem[];
  /** References left on the source because their target failed verification. */
  readonly notSwitched: readonly VerifyItem[];
  /** The edits of push destinations (switched whatever the target holds: CI writes their tags). */
  readonly pushEdits?: readonly Edit[];
  /** Log-ins to a registry the mappings move away from (see findStaleLogins). */
  readonly staleLogins?: readonly Login[];
  readonly verify: VerifyResult;
  readonly budgets: ReadonlyArray<{
    registry: string;
    first?: RateLimitReading;
    latest?: RateLimitReading;
    spent: number;
  }>;
}

const ownerTitles: Record<Owner, string> = {
  own: "Own images (built or published here)",
  "third-party": "Third-party images",
};

/** The migration report as Markdown, ready to paste into a pull request (pure, deterministic). */
export function formatMigrationReport(input: ReportInput): string {
  const lines: string[] = [];
  const failed = input.copies.filter((c) => c.status === "failed");
  const problems = input.verify.items.filter((i) => i.status !== "ok");
  lines.push(`## Container images: registry migration${input.dryRun ? " (dry run)" : ""}`, "");
  lines.push(`Mappings: ${input.rules.map((r) => `\`${formatMappingRule(r)}\``).join(", ")}`, "");
  lines.push(
    `- ${input.copies.length} image(s): ${count(input.copies, "copied")} copied, ${count(input.copies, "in-sync")} already there${input.dryRun ? `, ${count(input.copies, "would-copy")} to copy` : ""}, ${failed.length} failed`,
    `- ${input.edits} reference(s) ${input.dryRun ? "to change" : "changed"} in ${input.filesChanged} file(s)`,
    `- verification: ${input.dryRun ? "after the copy (a dry run asks the target only whether it has each tag)" : problems.length === 0 ? "every migrated reference resolves on the target, same digest, same platforms" : `${problems.length} problem(s), listed below`}`,
  );
  const unread = input.unread ?? [];
  if (unread.length > 0) {
    lines.push(
      `- **not complete**: ${unread.length} file(s) or director(ies) could not be read and may hold references (read them, or exclude them in crossdock.yaml):`,
      ...unread.map((p) => `  - \`${p.file}\`: ${p.message}`),
    );
  }
  lines.push("");
  for (const owner of ["own", "third-party"] as const) {
    const rows = input.copies.filter((c) => c.owner === owner);
    if (rows.length === 0) continue;
    lines.push(
      `### ${ownerTitles[owner]}`,
      "",
      "| source | target | used in | digest | status |",
      "| --- | --- | --- | --- | --- |",
    );
    for (const row of rows) {
      lines.push(
        `| \`${row.source}\` | \`${row.target}\` | ${row.usage} | ${row.digest ? `\`${row.digest.slice(0, 19)}…\`` : ""} | ${row.status}${row.status === "would-copy" && row.mediaType && isIndexMediaType(row.mediaType) ? " (multi-platform index)" : ""}${row.error ? `: ${row.error}` : ""} |`,
      );
    }
    lines.push("");
  }
  const pushEdits = input.pushEdits ?? [];
  if (pushEdits.length > 0) {
    lines.push(
      `### Push destinations rewritten${input.dryRun ? " (dry run: would be)" : ""}`,
      "",
      "Where CI publishes; switched whatever the target holds now, as CI writes these tags:",
      "",
      ...pushEdits.map((e) => `- \`${e.file}:${e.line}\` \`${e.before}\` → \`${e.after}\``),
      "",
    );
  }
  const staleLogins = input.staleLogins ?? [];
  if (staleLogins.length > 0) {
    lines.push(
      "### CI still logs in to the old registry",
      "",
      ...staleLogins.map(
        (l) =>
          `- \`${l.file}:${l.line}\` ${l.context} logs in to \`${l.registry}\`: run \`crossdock ci github\` (or log in to the target there) so CI can push to the target`,
      ),
      "",
    );
  }
  if (input.editsByForm.size > 0) {
    lines.push("### Files changed, by form", "", "| form | references |", "| --- | --- |");
    for (const [form, n] of [...input.editsByForm].sort(([a], [b]) => a.localeCompare(b)))
      lines.push(`| ${form} | ${n} |`);
    lines.push("");
  }
  if (problems.length > 0 || input.notSwitched.length > 0 || input.attention.length > 0) {
    lines.push("### Needs attention", "");
    for (const item of input.notSwitched) {
      if (input.dryRun) {
        lines.push(
          `- **cannot be switched**: \`${item.source}\` (${item.problems.join("; ")}); the real run leaves ${item.where.map((w) => `\`${w}\``).join(", ")} pointing at the source`,
        );
        continue;
      }
      lines.push(
        `- **not switched**: \`${item.target}\` does not resolve like \`${item.source}\` (${item.problems.join("; ")}); still pointing at the source in ${item.where.map((w) => `\`${w}\``).join(", ")}`,
      );
    }
    const reported = new Set(input.notSwitched.map((item) => item.target));
    for (const item of problems.filter((p) => !reported.has(p.target))) {
      lines.push(
        `- \`${item.target}\` (${item.status}): ${item.problems.join("; ")} — at ${item.where.map((w) => `\`${w}\``).join(", ")}`,
      );
    }
    for (const a of input.attention)
      lines.push(`- \`${a.file}:${a.line}\` ${a.form}: \`${a.text.replace(/\s*\n\s*/g, " ")}\` ${a.reason}`);
    lines.push("");
  }
  const c = input.counters;
  lines.push(
    "### Transfer",
    "",
    `- ${c.blobsCopied} blob(s) copied (${c.bytesCopied} bytes), ${c.blobsMounted} mounted, ${c.blobsExisting} already on the target`,
  );
  if (input.dryRun) lines.push(...formatPullsNeeded(input.copies));
  for (const b of input.budgets) {
    if (!b.latest) continue;
    const used = b.first ? Math.max(b.spent, b.first.remaining - b.latest.remaining) : b.spent;
    lines.push(
      `- pull budget at ${b.registry}: used ${used}, ${b.latest.remaining} of ${b.latest.limit} left${b.latest.windowSeconds ? ` per ${b.latest.windowSeconds / 3600} h` : ""}`,
    );
  }
  lines.push("", "_Written by crossdock migrate; crossdock.lock records every digest._", "");
  return lines.join("\n");
}

function count(copies: readonly CopyOutcome[], status: CopyOutcome["status"]): number {
  return copies.filter((c) => c.status === status).length;
}

/**
 * A dry run's forecast of each source's pull budget: at least one manifest GET per image to copy,
 * more for an index, whose platforms' manifests are read too (Docker Hub counts manifest GETs:
 * https://docs.docker.com/docker-hub/usage/pulls/). Sizes are known only once the manifests are read.
 */
function formatPullsNeeded(copies: readonly CopyOutcome[]): string[] {
  const byRegistry = new Map<string, { images: number; indexes: number }>();
  for (const copy of copies.filter((c) => c.status === "would-copy")) {
    const registry = parseReference(copy.source).domain;
    const entry = byRegistry.get(registry) ?? { images: 0, indexes: 0 };
    entry.images += 1;
    if (copy.mediaType && isIndexMediaType(copy.mediaType)) entry.indexes += 1;
    byRegistry.set(registry, entry);
  }
  return [...byRegistry].map(
    ([registry, { images, indexes }]) =>
      `- the copy needs at least ${images} pull(s) from ${registry}'s budget (a manifest GET per image${indexes > 0 ? `; the ${indexes} multi-platform index(es) add one per platform` : ""}); sizes are known once the manifests are read`,
  );
}

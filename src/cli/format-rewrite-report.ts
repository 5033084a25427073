import { countEditsByForm } from "../rewrite/plan-summary.js";
import type { PreparedRewrite } from "../rewrite/rewrite-repository.js";

/** The plan of a rewrite as `--json` prints it: every edit, what needs attention, files skipped. */
export function rewritePlanJson(prepared: PreparedRewrite): Record<string, unknown> {
  return {
    edits: [...prepared.plan.edits.values()].flat(),
    attention: prepared.plan.attention,
    skipped: prepared.skipped,
  };
}

/**
 * The summary lines of a rewrite: edits by form, the push destinations among them (where CI
 * publishes: rewritten whatever the target holds), what needs attention and why, files skipped.
 */
export function formatRewriteSummary(prepared: PreparedRewrite, verb: string): string[] {
  const { plan } = prepared;
  const edits = [...plan.edits.values()].reduce((n, list) => n + list.length, 0);
  const byForm = [...countEditsByForm(plan)].map(([form, n]) => `${form} ${n}`).join(", ");
  const lines = [
    `${verb}: ${edits} reference(s) in ${plan.edits.size} file(s)${byForm ? ` (${byForm})` : ""}`,
  ];
  const pushes = [...plan.edits.values()].flat().filter((e) => e.push === true);
  if (pushes.length > 0) {
    lines.push(`push destinations rewritten: ${pushes.length}`);
    for (const e of pushes) lines.push(`  ${e.file}:${e.line}  ${e.before} -> ${e.after}`);
  }
  if (plan.attention.length > 0) {
    lines.push(`needs attention: ${plan.attention.length}`);
    for (const a of plan.attention)
      lines.push(`  ${a.file}:${a.line}  ${a.text.replace(/\s*\n\s*/g, " ")}  ${a.reason}`);
  }
  for (const s of prepared.skipped) lines.push(`skipped: ${s.reason}`);
  return lines;
}

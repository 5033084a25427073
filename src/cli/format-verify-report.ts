import { statusSeverity } from "../verify/status.js";
import type { VerifyItem, VerifyResult } from "../verify/verify.js";
import { formatTable } from "./table.js";

/** `sha256:0123456789ab`: enough of a digest to tell two apart in a table. */
function shortDigest(digest: string | undefined): string {
  if (digest === undefined) return "none";
  const colon = digest.indexOf(":");
  return digest.slice(0, colon + 13);
}

/** The digest column: whether the target's digest is the source's. */
function digestCell(item: VerifyItem): string {
  if (item.sourceDigest === undefined && item.targetDigest === undefined) return "";
  if (item.sourceDigest === item.targetDigest) return `${shortDigest(item.targetDigest)} =`;
  return `${shortDigest(item.sourceDigest)} != ${shortDigest(item.targetDigest)}`;
}

/**
 * `crossdock verify`'s report for people: the table, each failing item's problems, the push
 * destinations (listed, not checked), and a summary line.
 */
export function formatVerifyReport(result: VerifyResult): string[] {
  const items = [...result.items].sort(
    (a, b) => statusSeverity.indexOf(a.status) - statusSeverity.indexOf(b.status),
  );
  const rows = items.map((item) => [item.status, item.target, digestCell(item), item.where.join(", ")]);
  const lines = [formatTable([["STATUS", "TARGET", "SOURCE DIGEST = TARGET DIGEST?", "WHERE"], ...rows])];
  const failing = items.filter((item) => item.status !== "ok");
  if (failing.length > 0) lines.push("");
  for (const item of failing) {
    lines.push(`${item.status}: ${item.target || item.source}`);
    for (const problem of item.problems) lines.push(`  - ${problem}`);
  }
  if (result.pushes.length > 0) {
    lines.push("", `push destinations (where CI publishes; not verified): ${result.pushes.length}`);
    for (const p of result.pushes) lines.push(`  ${p.text}  at ${p.where.join(", ")}`);
  }
  lines.push("");
  const counts = new Map<string, number>();
  for (const item of result.items) counts.set(item.status, (counts.get(item.status) ?? 0) + 1);
  const parts = statusSeverity
    .filter((status) => counts.has(status))
    .map((status) => `${counts.get(status)} ${status}`);
  const { prefix, partial } = result.skipped;
  const skipped =
    prefix + partial > 0
      ? `; not verified: ${prefix} prefix and ${partial} partial reference(s) (no complete tag to check)`
      : "";
  const verdict = result.ok ? "all good" : "FAILED";
  lines.push(
    `${verdict}: ${result.items.length} reference(s) checked${parts.length > 0 ? ` (${parts.join(", ")})` : ""}${skipped}`,
  );
  return lines;
}

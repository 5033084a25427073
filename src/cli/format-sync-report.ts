import type { SyncReport } from "../copy/run-sync.js";
import { formatBytes } from "./format-bytes.js";
import { formatTable } from "./table.js";

/**
 * `crossdock sync`'s report for people: a row per tag, the totals, requests, rate limit, what
 * failed and what is pending (the pull budget ran out, or the run was interrupted).
 */
export function formatSyncReport(
  { entries, summary }: SyncReport,
  { dryRun, interrupted }: { dryRun: boolean; interrupted: boolean },
): string[] {
  const rows = entries.map((e) => [
    e.status,
    e.source,
    e.target,
    e.digest?.slice(0, 19) ?? "",
    e.bytes ? formatBytes(e.bytes) : "",
  ]);
  const lines = [formatTable([["STATUS", "SOURCE", "TARGET", "DIGEST", "BYTES"], ...rows]), ""];
  const c = summary.counts;
  lines.push(
    dryRun
      ? `plan: ${c["would-copy"]} to copy, ${c["in-sync"]} already in sync, ${c.failed} failed`
      : `${c.copied} copied, ${c["in-sync"]} already in sync, ${c.failed} failed, ${c.pending} pending; ${formatBytes(summary.bytesMoved)} moved (${summary.blobs.blobsCopied} blobs copied, ${summary.blobs.blobsMounted} mounted, ${summary.blobs.blobsExisting} already there)`,
  );
  for (const [host, r] of Object.entries(summary.requests)) {
    lines.push(
      `requests to ${host}: ${r.manifestGet} manifest GET, ${r.manifestHead} manifest HEAD, ${r.blobGet} blob GET, ${r.blobHead} blob HEAD`,
    );
  }
  if (summary.rateLimit) {
    const r = summary.rateLimit;
    lines.push(
      `rate limit at ${r.registry}: used ${r.used}, ${r.remaining} of ${r.limit} left${r.windowSeconds ? ` (window ${r.windowSeconds} s)` : ""}`,
    );
  }
  for (const failed of summary.failed) lines.push(`failed: ${failed.source}: ${failed.error}`);
  for (const entry of entries)
    for (const warning of entry.warnings ?? []) lines.push(`warning: ${entry.target}: ${warning}`);
  if (summary.pending > 0)
    lines.push(
      `${summary.pending} tag(s) pending: ${interrupted ? "interrupted" : "the pull budget ran out"}; rerun the same command to continue`,
    );
  if (summary.blobs.foreignLayers.length > 0) {
    lines.push(
      `skipped ${summary.blobs.foreignLayers.length} non-distributable layer(s), as the spec allows`,
    );
  }
  return lines;
}

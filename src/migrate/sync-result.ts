import type { ShardSpec } from "../copy/plan-share.js";
import type { SyncReport } from "../copy/run-sync.js";
import { compareText } from "../copy/shares.js";
import { UsageError } from "../errors.js";
import type { LockImage } from "./lock.js";

/**
 * One image a shard copied or found in sync: what the lock records, less its owner and usage (lock merge
 * decides it). `platforms` is known when the image was fetched (copied), empty for an image found
 * in sync (HEADs only).
 */
export interface ResultImage extends Omit<LockImage, "owner" | "usage"> {
  readonly status: "copied" | "in-sync";
}

/** A tag a shard did not finish: pending (budget or Ctrl-C: rerun continues) or failed (with why). */
export interface ResultTag {
  readonly source: string;
  readonly target: string;
  readonly error?: string;
}

/**
 * What one shard (or one whole run) of a sync did, as `--result-out` writes it and
 * `crossdock lock merge` reads it. No timestamps and sorted lists: the same work gives the same bytes.
 */
export interface SyncResult {
  readonly version: 1;
  /** Which share of the plan this run was; absent for a run of the whole plan. */
  readonly shard?: ShardSpec;
  /** The plan's digest (digestOfPlan): shards of one run share it. */
  readonly plan?: string;
  /** Stopped by Ctrl-C or SIGTERM (what it did not start is pending). */
  readonly interrupted: boolean;
  readonly images: readonly ResultImage[];
  readonly pending: readonly ResultTag[];
  readonly failed: readonly ResultTag[];
}

/** What the first field of a result file says it is. */
const resultKind = "crossdock-sync-result";

/** The result of a sync run, from its report (pure). */
export function resultOfSync(
  report: SyncReport,
  run: { shard?: ShardSpec; plan?: string; interrupted: boolean },
): SyncResult {
  const images: ResultImage[] = [];
  const pending: ResultTag[] = [];
  const failed: ResultTag[] = [];
  for (const entry of report.entries) {
    const where = { source: entry.source, target: entry.target };
    if ((entry.status === "copied" || entry.status === "in-sync") && entry.digest)
      images.push({
        ...where,
        digest: entry.digest,
        mediaType: entry.mediaType ?? "",
        platforms: entry.platforms ?? [],
        ...(entry.convertedFrom ? { convertedFrom: entry.convertedFrom } : {}),
        status: entry.status,
      });
    else if (entry.status === "pending" || entry.status === "would-copy") pending.push(where);
    else if (entry.status === "failed") failed.push({ ...where, error: entry.error ?? "failed" });
  }
  const bySource = (a: { source: string }, b: { source: string }): number => compareText(a.source, b.source);
  return {
    version: 1,
    ...(run.shard ? { shard: run.shard } : {}),
    ...(run.plan ? { plan: run.plan } : {}),
    interrupted: run.interrupted,
    images: images.sort(bySource),
    pending: pending.sort(bySource),
    failed: failed.sort(bySource),
  };
}

/** A result as JSON (`--result-out`). */
export function formatSyncResult(result: SyncResult): string {
  return `${JSON.stringify({ kind: resultKind, ...result }, null, 2)}\n`;
}

/** Reads a result file; anything else is a UsageError naming the file and what is wrong. */
export function parseSyncResult(text: string, file: string): SyncResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file}: not JSON (a result written by crossdock sync --result-out)`, {
      cause: error,
    });
  }
  const body = data as Partial<SyncResult> & { kind?: unknown };
  if (
    body?.kind !== resultKind ||
    body.version !== 1 ||
    !Array.isArray(body.images) ||
    !Array.isArray(body.pending) ||
    !Array.isArray(body.failed)
  )
    throw new UsageError(`${file}: not a crossdock sync result (kind "${resultKind}", version 1)`);
  for (const [i, image] of body.images.entries())
    for (const key of ["source", "target", "digest", "mediaType"] as const)
      if (typeof image?.[key] !== "string") throw new UsageError(`${file}: images[${i}].${key} is missing`);
  for (const list of ["pending", "failed"] as const)
    for (const [i, tag] of body[list]!.entries())
      if (typeof tag?.source !== "string" || typeof tag.target !== "string")
        throw new UsageError(`${file}: ${list}[${i}] needs source and target`);
  const shard = body.shard;
  if (
    shard !== undefined &&
    !(
      Number.isInteger(shard?.index) &&
      Number.isInteger(shard?.count) &&
      shard.index >= 0 &&
      shard.index < shard.count
    )
  )
    throw new UsageError(`${file}: shard must be { index, count } with 0 ≤ index < count`);
  return {
    version: 1,
    ...(shard ? { shard } : {}),
    ...(typeof body.plan === "string" ? { plan: body.plan } : {}),
    interrupted: body.interrupted === true,
    images: body.images.map((i) => ({ ...i, platforms: Array.isArray(i.platforms) ? i.platforms : [] })),
    pending: body.pending,
    failed: body.failed,
  };
}

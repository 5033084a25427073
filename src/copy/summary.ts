import type { CopyCounters } from "./counters.js";
import type { RateLimitReading } from "./pull-budget.js";
import type { SyncEntry, SyncStatus } from "./sync.js";

/** Requests a run made against one registry, by kind. */
export interface RequestCounts {
  readonly manifestGet: number;
  readonly manifestHead: number;
  readonly blobGet: number;
  readonly blobHead: number;
  readonly [kind: string]: number;
}

/** The end-of-run summary: what happened to each tag, bytes, requests and rate-limit budget. */
export interface SyncSummary {
  readonly counts: Readonly<Record<SyncStatus, number>>;
  readonly bytesMoved: number;
  readonly blobs: ReturnType<CopyCounters["toJSON"]>;
  readonly requests: Readonly<Record<string, RequestCounts>>;
  readonly rateLimit?: {
    readonly registry: string;
    readonly limit: number;
    readonly remaining: number;
    readonly used: number;
    readonly windowSeconds?: number;
  };
  readonly failed: readonly SyncEntry[];
  readonly pending: number;
}

/** Builds the summary from the entries and the run's counters (pure). */
export function summarize(
  entries: readonly SyncEntry[],
  counters: CopyCounters,
  requests: Readonly<Record<string, RequestCounts>>,
  budget?: { registry: string; first?: RateLimitReading; latest?: RateLimitReading; spent: number },
): SyncSummary {
  const counts: Record<SyncStatus, number> = {
    copied: 0,
    "in-sync": 0,
    "would-copy": 0,
    failed: 0,
    pending: 0,
  };
  for (const entry of entries) counts[entry.status]++;
  const latest = budget?.latest;
  return {
    counts,
    bytesMoved: counters.bytesCopied,
    blobs: counters.toJSON(),
    requests,
    ...(budget && latest
      ? {
          rateLimit: {
            registry: budget.registry,
            limit: latest.limit,
            remaining: latest.remaining,
            used: budget.first
              ? Math.max(budget.spent, budget.first.remaining - latest.remaining)
              : budget.spent,
            ...(latest.windowSeconds !== undefined ? { windowSeconds: latest.windowSeconds } : {}),
          },
        }
      : {}),
    failed: entries.filter((e) => e.status === "failed"),
    pending: counts.pending,
  };
}

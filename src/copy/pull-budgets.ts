import { type Reference, withTag } from "../reference/reference.js";
import type { RegistryClient } from "../registry/client.js";
import type { CopyEventListener } from "./events.js";
import { PullBudget } from "./pull-budget.js";

/** How the budgets of a run hold back and report. */
export interface PullBudgetsOptions {
  /** Pulls to leave unspent (PullBudget's default 5 when absent). */
  readonly reserve?: number;
  /** Stop instead of waiting longer than this for pulls to come back; absent waits as long as it takes. */
  readonly maxWaitMs?: number;
  /** Receives a `waiting` event while a budget pauses. */
  readonly onEvent?: CopyEventListener;
  /** The run is shard `index` of `count` on one account: each budget holds the reserve for the group. */
  readonly group?: { readonly index: number; readonly count: number };
}

/**
 * One PullBudget per source registry of a run, keyed by storage key (`registry:docker.io`, as
 * CopySession looks them up). Each re-probes with a HEAD of the first source image seen on that
 * registry (its tag, or `latest` where a digest names it): a HEAD costs no pull.
 */
export function createPullBudgets(
  client: RegistryClient,
  sources: Iterable<Reference>,
  options: PullBudgetsOptions = {},
): Map<string, PullBudget> {
  const budgets = new Map<string, PullBudget>();
  for (const source of sources) {
    const registry = source.domain;
    const key = `registry:${registry}`;
    if (budgets.has(key)) continue;
    const probeRef = withTag(source, source.tag ?? "latest");
    const budget: PullBudget = new PullBudget({
      read: () => client.rateLimit(registry),
      probe: async (signal) => {
        await client.headManifest(probeRef, signal).catch(() => undefined);
      },
      ...(options.reserve !== undefined ? { reserve: options.reserve } : {}),
      ...(options.maxWaitMs !== undefined ? { maxWaitMs: options.maxWaitMs } : {}),
      ...(options.group ? { group: options.group } : {}),
      onWait: (waitedMs, reading) =>
        options.onEvent?.({
          type: "waiting",
          message: `paused: ${reading.remaining} of ${reading.limit} pulls left at ${registry} (reserve ${budget.reserve}); probing with HEAD until they come back`,
          waitedMs,
        }),
    });
    budgets.set(key, budget);
  }
  return budgets;
}

import { digestOfPlan } from "./plan-file.js";
import { type ShardSpec, shareOfPlan } from "./plan-share.js";
import { type SyncReport, type SyncRunOptions, sync } from "./run-sync.js";
import { mappingsOfPlan, type SyncPlan } from "./sync-plan.js";

/** Options of syncPlan: those of sync, with a plan instead of mappings. */
export interface SyncPlanOptions extends Omit<SyncRunOptions, "mappings" | "shard"> {
  readonly plan: SyncPlan;
  /** Run only this share of the plan (shareOfPlan); absent: the whole plan. */
  readonly shard?: ShardSpec;
}

/**
 * `crossdock sync --plan FILE [--shard I/N]` as one call: runs exactly the plan's tags (or one
 * shard's share of them), with the pull budget held for the group of shards. The report carries
 * the plan's digest, so the shards' results can be checked to come from one plan.
 */
export async function syncPlan(options: SyncPlanOptions): Promise<SyncReport & { plan: string }> {
  const { plan, shard, ...rest } = options;
  const work = shard ? shareOfPlan(plan, shard) : plan;
  const report = await sync({ ...rest, mappings: mappingsOfPlan(work), ...(shard ? { shard } : {}) });
  return { ...report, plan: digestOfPlan(plan) };
}

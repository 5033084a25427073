import { formatReference, type Reference } from "../reference/reference.js";
import { applyRewrite, type PreparedRewrite, prepareRewrite } from "../rewrite/rewrite-repository.js";
import type { Occurrence } from "../scan/types.js";
import type { VerifyItem, VerifyResult } from "../verify/verify.js";
import type { Lockfile } from "./lock.js";
import type { MigrateOptions } from "./migration-types.js";
import type { MigrationPlan } from "./plan-migration.js";
import { verifyRepository } from "./verify-repository.js";

/** What switching the references did (or, in a dry run, would do). */
export interface SwitchOutcome {
  /** The rewrite as planned: edits, attention, the new journal. */
  readonly prepared: PreparedRewrite;
  /** Targets that failed the first verification: their references stay on the source. */
  readonly notSwitched: readonly VerifyItem[];
  /** The last verification: after the rewrite (empty in a dry run, which verifies nothing). */
  readonly verify: VerifyResult;
  readonly filesChanged: number;
  readonly edits: number;
  /** Files the rewrite left alone because they changed since the scan, with the reason. */
  readonly refused: readonly string[];
}

/**
 * The switch step of migrate: verifies that the target has every referenced image (holding it to
 * `lock`'s digests), rewrites every reference except those whose target failed (never switched
 * to something that does not resolve; push destinations are always switched), and verifies the
 * rewritten references. A dry run takes
 * forecastSwitch instead, which writes nothing.
 */
export async function switchReferences(
  plan: MigrationPlan,
  lock: Lockfile,
  options: MigrateOptions,
): Promise<SwitchOutcome> {
  const { signal } = options;
  options.onStep?.("verifying the target has every referenced image");
  const verifying = {
    dir: options.dir,
    rules: plan.rules,
    scan: plan.scanOptions,
    client: options.client,
    anonymousClient: options.anonymousClient,
    lock,
    ...(signal ? { signal } : {}),
  };
  const before = await verifyRepository({ ...verifying, references: plan.scan.references });
  // Joined by each occurrence's own reference, not its line: a failed reference keeps only itself
  // at the source, and the other references on its line are still switched.
  const notSwitched = before.items.filter(blocksSwitch);
  const keptBack = new Set(notSwitched.map((item) => item.source));
  const prepared = await prepareRewrite(options.dir, {
    rules: plan.rules,
    scan: plan.scanOptions,
    journal: lock.rewrites,
    keep: switchedUnless((reference) => keptBack.has(formatReference(reference))),
    ...(signal ? { signal } : {}),
  });
  options.onStep?.("rewriting references");
  const outcome = await applyRewrite(prepared);
  options.onStep?.("verifying the rewritten references");
  const verify = await verifyRepository(verifying);
  return {
    prepared,
    notSwitched,
    verify,
    filesChanged: outcome.filesChanged.length,
    edits: outcome.edits,
    refused: outcome.refused.map((r) => r.reason),
  };
}

/** A target that lacks the image, or holds another, must not be switched to: its references stay. */
function blocksSwitch(item: VerifyItem): boolean {
  return item.status === "missing" || item.status === "digest-differs" || item.status === "platforms-differ";
}

/**
 * The rewrite's `keep` for a switch: every reference is switched unless `keptBack` holds its image
 * back; a push destination always is, whatever the registries hold, since CI writes its tags from
 * the switch on. The real switch and its dry-run forecast both decide with it.
 */
export function switchedUnless(
  keptBack: (reference: Reference) => boolean,
): (occurrence: Occurrence) => boolean {
  return (occurrence) =>
    occurrence.role === "push" || occurrence.reference === undefined || !keptBack(occurrence.reference);
}

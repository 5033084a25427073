import type { Reference } from "../reference/reference.js";
import { prepareRewrite } from "../rewrite/rewrite-repository.js";
import type { VerifyItem } from "../verify/verify.js";
import type { Lockfile } from "./lock.js";
import type { MigrateOptions } from "./migration-types.js";
import type { MigrationPlan } from "./plan-migration.js";
import type { CopyOutcome } from "./report.js";
import { type SwitchOutcome, switchedUnless } from "./switch-references.js";

/**
 * The switch step of a dry run: what the real run would rewrite, decided from the copy step's
 * HEADs instead of a verification of a target that is still empty (which would report every
 * reference as not switched). A reference whose source lacks the tag or digest cannot be copied,
 * so the real run would leave it on the source: it is listed as not switched, with the reason.
 * Reads the repository only; writes nothing and asks no registry anything.
 */
export async function forecastSwitch(
  plan: MigrationPlan,
  outcomes: readonly CopyOutcome[],
  lock: Lockfile,
  options: MigrateOptions,
): Promise<SwitchOutcome> {
  const failed = new Map(outcomes.filter((o) => o.status === "failed").map((o) => [o.source, o]));
  const prepared = await prepareRewrite(options.dir, {
    rules: plan.rules,
    scan: plan.scanOptions,
    journal: lock.rewrites,
    keep: switchedUnless((reference) => failed.has(copyKey(reference))),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const notSwitched = [...failed.values()].map(
    (o): VerifyItem => ({
      source: o.source,
      target: o.target,
      where: o.where,
      status: "missing",
      problems: [`cannot be copied: ${o.error ?? "the source has no such tag or digest"}`],
    }),
  );
  const edits = [...prepared.plan.edits.values()].reduce((n, list) => n + list.length, 0);
  return {
    prepared,
    notSwitched,
    verify: { items: [], ok: true, skipped: { prefix: 0, partial: 0 }, pushes: [] },
    filesChanged: prepared.plan.edits.size,
    edits,
    refused: [],
  };
}

/** The source of a reference as the copy step names it: a digest, else the tag (`latest` when none, as a pull). */
function copyKey(ref: Reference): string {
  return ref.digest ? `${ref.name}@${ref.digest}` : `${ref.name}:${ref.tag ?? "latest"}`;
}

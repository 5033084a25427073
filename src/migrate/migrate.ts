import path from "node:path";
import { mergeJournal } from "../rewrite/merge-journal.js";
import { countEditsByForm } from "../rewrite/rewrite-repository.js";
import { copyPlanned } from "./copy-planned.js";
import { forecastSwitch } from "./forecast-switch.js";
import { hashWrittenFiles, type Lockfile, type LockImage, writeLock } from "./lock.js";
import type { MigrateOptions, MigrateResult } from "./migration-types.js";
import { recordPhase } from "./phase.js";
import { planMigration } from "./plan-migration.js";
import { type CopyOutcome, formatMigrationReport } from "./report.js";
import { writeReportSection } from "./report-history.js";
import { findStaleLogins } from "./stale-logins.js";
import { switchReferences } from "./switch-references.js";

export type { MigrateOptions, MigrateResult } from "./migration-types.js";

/**
 * The whole migration of a repository, in four steps: plan (scan; work out the images and tags
 * to copy), copy (incrementally, thriftily with the source's pull budget), switch (verify the
 * target has them; rewrite the references, except those whose target failed verification, which
 * are listed, never switched to something that does not resolve; verify again), and record
 * (crossdock.lock, and the report's section for this run above the earlier runs'). Each step is a library call of its own.
 */
export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const plan = await planMigration(options);
  options.onStep?.(`${options.dryRun ? "checking" : "copying"} ${plan.copies.length} image(s)`);
  const { outcomes, session, budgets } = await copyPlanned(options, plan.copies);
  // Interrupted: nothing is verified, rewritten or recorded after a copy that did not finish.
  options.signal?.throwIfAborted();
  const lock: Lockfile = {
    version: 1,
    images: mergeImages(plan.lock?.images ?? [], lockImagesOf(outcomes)),
    rewrites: plan.lock?.rewrites ?? [],
  };
  // A dry run decides from the copy step's HEADs: verifying a target not yet copied to would fail everything.
  const switched = options.dryRun
    ? await forecastSwitch(plan, outcomes, lock, options)
    : await switchReferences(plan, lock, options);
  // A file the scan could not read may hold references: the migration is not complete until it is
  // read or excluded (paths.exclude in crossdock.yaml).
  const unread = plan.scan.problems.filter((p) => p.unread === true);
  const failures = [
    ...outcomes.filter((o) => o.status === "failed").map((o) => `copy ${o.source}: ${o.error}`),
    ...unread.map((p) => `not read, may hold references: ${p.file}: ${p.message}`),
    ...switched.refused,
    ...switched.verify.items
      .filter((item) => item.status !== "ok")
      .map((item) => `verify ${item.target}: ${item.problems.join("; ")}`),
  ];
  const { prepared, notSwitched, verify, filesChanged, edits } = switched;
  const staleLogins = findStaleLogins(plan.scan.logins, plan.rules);
  const report = formatMigrationReport({
    dir: options.dir,
    dryRun: options.dryRun === true,
    rules: plan.rules,
    copies: outcomes,
    counters: session.counters,
    editsByForm: countEditsByForm(prepared.plan),
    filesChanged,
    edits,
    attention: prepared.plan.attention,
    unread,
    notSwitched,
    pushEdits: [...prepared.plan.edits.values()].flat().filter((e) => e.push === true),
    staleLogins,
    verify,
    budgets: [...budgets.entries()].map(([key, budget]) => ({
      registry: key.replace(/^registry:/, ""),
      ...budget.readings(),
      spent: budget.spent,
    })),
  });
  const attentionCount = prepared.plan.attention.length + notSwitched.length;
  const result = {
    ok: failures.length === 0,
    report,
    filesChanged,
    edits,
    attentionCount,
    failures,
    copies: outcomes,
    verify,
    staleLogins,
  };
  if (options.dryRun) return result;
  const rewrites = mergeJournal(lock.rewrites, prepared.plan.journal);
  const lockFile = await writeLock(options.dir, {
    ...lock,
    rewrites,
    written: await hashWrittenFiles(options.dir, rewrites),
    ...(plan.lock?.rolledBack ? { rolledBack: plan.lock.rolledBack } : {}),
  });
  // A phase recorded before the switch moves on to it: the references now point at the target.
  const phase = plan.config?.phase;
  if (result.ok && rewrites.length > 0 && (phase === "prepare" || phase === "parallel"))
    await recordPhase(plan.config!.file, "switch");
  const reportFile = options.reportFile ?? path.join(options.dir, "crossdock-report.md");
  await writeReportSection(reportFile, report);
  return { ...result, lockFile, reportFile };
}

/** The lock entries of the images this run copied or found in sync (a dry run's would-copy are not there yet). */
function lockImagesOf(outcomes: readonly CopyOutcome[]): LockImage[] {
  return outcomes.flatMap((o) =>
    o.digest && o.status !== "failed" && o.status !== "would-copy"
      ? [
          {
            source: o.source,
            target: o.target,
            digest: o.digest,
            mediaType: o.mediaType ?? "",
            platforms: o.platforms ?? [],
            owner: o.owner,
            usage: o.usage,
          },
        ]
      : [],
  );
}

/**
 * The lock's images: this run's entries replace earlier ones for the same source. An image found
 * already in sync was not fetched, so its platforms are unknown this run: the lock's earlier record
 * of the same digest keeps them.
 */
export function mergeImages(previous: readonly LockImage[], current: readonly LockImage[]): LockImage[] {
  const bySource = new Map(previous.map((i) => [i.source, i]));
  for (const image of current) {
    const earlier = bySource.get(image.source);
    const keep =
      image.platforms.length === 0 && earlier?.digest === image.digest ? earlier.platforms : image.platforms;
    bySource.set(image.source, { ...image, platforms: keep });
  }
  return [...bySource.values()];
}

import type { MappingRule } from "../reference/mapping.js";
import { mergeJournal } from "../rewrite/merge-journal.js";
import {
  applyRewrite,
  type PreparedRewrite,
  prepareRewrite,
  type RewriteOutcome,
} from "../rewrite/rewrite-repository.js";
import type { ScanOptions } from "../scan/scan-repository.js";
import type { ThirdPartyPolicy } from "./config/types.js";
import { hashWrittenFiles, readLock, writeLock } from "./lock.js";
import { scanProject } from "./scan-project.js";

/** Options of rewriteProject. */
export interface RewriteProjectOptions {
  /** The repository. */
  readonly dir: string;
  /** The mapping rules (`--map` and crossdock.yaml's). */
  readonly rules: readonly MappingRule[];
  /** The scan's include/exclude and category overrides (scanSettingsOf the config). */
  readonly scan: Omit<ScanOptions, "rules" | "signal">;
  /** crossdock.yaml's `thirdParty:`: with `mirror`, third-party images move under the mirror as in migrate. */
  readonly thirdParty?: ThirdPartyPolicy;
  /** Write the edits (and the lock's journal); otherwise only plan them. */
  readonly write: boolean;
  readonly signal?: AbortSignal;
}

/** What rewriteProject planned, and with `write`, what writing did. */
export interface ProjectRewrite {
  readonly prepared: PreparedRewrite;
  readonly outcome?: RewriteOutcome;
}

/**
 * `crossdock rewrite` as one call: plans the edits of the rules and the config's mirror rules (see
 * scanProject) with crossdock.lock's journal (so a reverse mapping restores the original text exactly), and with `write` applies them and adds the new
 * journal entries to the lock's (mergeJournal; its images kept).
 */
export async function rewriteProject(options: RewriteProjectOptions): Promise<ProjectRewrite> {
  const { dir } = options;
  const lock = await readLock(dir);
  // The mirror rules depend on what the scan finds third-party: a first scan decides them.
  const rules =
    options.thirdParty?.action === "mirror"
      ? (await scanProject(dir, { ...options, thirdParty: options.thirdParty })).rules
      : options.rules;
  const prepared = await prepareRewrite(dir, {
    rules,
    scan: options.scan,
    ...(lock ? { journal: lock.rewrites } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!options.write) return { prepared };
  const outcome = await applyRewrite(prepared);
  if (outcome.filesChanged.length > 0) {
    const rewrites = mergeJournal(lock?.rewrites ?? [], prepared.plan.journal);
    await writeLock(dir, {
      version: 1,
      images: lock?.images ?? [],
      rewrites,
      written: await hashWrittenFiles(dir, rewrites),
    });
  }
  return { prepared, outcome };
}

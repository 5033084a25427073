import type { RegistryClient } from "../registry/client.js";
import { scanSettingsOf } from "../scan/crossdock-files.js";
import { scanRepository } from "../scan/scan-repository.js";
import type { Login } from "../scan/types.js";
import { findConfig, loadConfig } from "./config/load-config.js";
import type { CrossdockConfig, Phase } from "./config/types.js";
import { type DriftItem, findDrift } from "./find-drift.js";
import { type Lockfile, readLock } from "./lock.js";
import { findStaleLogins } from "./stale-logins.js";

/** Options of projectStatus. */
export interface StatusOptions {
  /** The repository. */
  readonly dir: string;
  /** A config already loaded (else crossdock.yaml in `dir`, if any). */
  readonly config?: CrossdockConfig;
  /** Also look for drift (asks the registries); needs both clients. */
  readonly drift?: { readonly client: RegistryClient; readonly anonymousClient: RegistryClient };
  readonly signal?: AbortSignal;
}

/** Where a migration stands. */
export interface ProjectStatus {
  readonly phase: Phase;
  /** Whether crossdock.yaml records the phase (`phase:`), or it was inferred from the lock. */
  readonly recorded: boolean;
  /** The next step, as commands to run. */
  readonly next: string;
  /** What stands in the way of the next step. */
  readonly blockers: readonly string[];
  /** With `drift`: what drifted (empty when nothing did). */
  readonly drift?: readonly DriftItem[];
  /** After the switch: CI log-ins that still name the old registry (see findStaleLogins). */
  readonly staleLogins: readonly Login[];
}

/** The next step from each phase (DESIGN.md's four phases). */
const nextSteps: Record<Phase, string> = {
  prepare:
    "log in to both registries, run `crossdock sync --dry-run`, then `crossdock sync`; record `phase: parallel`",
  parallel:
    "publish to both registries; run `crossdock migrate --dry-run`, then `crossdock migrate` (which records `phase: switch`)",
  switch: "merge the rewrite; when `crossdock status --drift` is clean, record `phase: maintain`",
  maintain: "run `crossdock status --drift` on a schedule; `crossdock rollback` if the switch must be undone",
};

/**
 * `crossdock status` as one call: the phase crossdock.yaml records (or, without `phase:`, the one
 * the lock implies: nothing copied is prepare, copied but not rewritten is parallel, rewritten is
 * switch), the next step and what blocks it; with `drift`, what drifted (findDrift). Reads only.
 */
export async function projectStatus(options: StatusOptions): Promise<ProjectStatus> {
  const file = options.config ? undefined : await findConfig(options.dir);
  const config = options.config ?? (file ? await loadConfig(file) : undefined);
  const lock = await readLock(options.dir);
  const phase = config?.phase ?? inferPhase(lock);
  const blockers: string[] = [];
  if (!config || config.mappings.length === 0)
    blockers.push("no crossdock.yaml with mappings: run `crossdock init` and fill in the target");
  if ((phase === "switch" || phase === "maintain") && !lock?.rewrites.length)
    blockers.push("crossdock.lock records no rewrite: run `crossdock migrate`");
  // After the switch CI must push to the target: a log-in to the old registry is in the way.
  const switched = (phase === "switch" || phase === "maintain") && config !== undefined;
  const staleLogins = switched
    ? findStaleLogins(
        (await scanRepository(options.dir, { ...scanSettingsOf(config), ...signalOf(options) })).logins,
        config.rules,
      )
    : [];
  for (const l of staleLogins)
    blockers.push(
      `CI still logs in to the old registry ${l.registry} at ${l.file}:${l.line} (${l.context}): run \`crossdock ci github\``,
    );
  const drift = options.drift
    ? await findDrift({
        dir: options.dir,
        ...(config ? { config } : {}),
        ...(lock ? { lock } : {}),
        ...options.drift,
        ...(options.signal ? { signal: options.signal } : {}),
      })
    : undefined;
  if (drift && drift.length > 0) blockers.push(`${drift.length} drift item(s): see below`);
  return {
    phase,
    recorded: config?.phase !== undefined,
    next: nextSteps[phase],
    blockers,
    ...(drift ? { drift } : {}),
    staleLogins,
  };
}

function signalOf(options: StatusOptions): { signal?: AbortSignal } {
  return options.signal ? { signal: options.signal } : {};
}

/** The phase a lock implies when crossdock.yaml records none. */
function inferPhase(lock: Lockfile | undefined): Phase {
  if (!lock || lock.images.length === 0) return "prepare";
  return lock.rewrites.length > 0 ? "switch" : "parallel";
}

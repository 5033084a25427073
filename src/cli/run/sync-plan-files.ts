import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { formatSyncPlan, parseSyncPlan } from "../../copy/plan-file.js";
import type { RequestCounts } from "../../copy/summary.js";
import { countPlan, type SyncPlan } from "../../copy/sync-plan.js";
import { UsageError } from "../../errors.js";
import { writeFileAtomically } from "../../files/atomic-write.js";
import type { CrossdockConfig } from "../../migrate/config/types.js";
import type { RegistryClient } from "../../registry/client.js";
import type { SyncFlags } from "./sync.js";

/** What `sync --plan-out` prints: where the plan went, its size, and the requests it cost (tag lists only). */
export interface PlanWritten {
  readonly file: string;
  readonly mappings: number;
  readonly repositories: number;
  readonly tags: number;
  readonly requests: Readonly<Record<string, RequestCounts>>;
}

/**
 * Reads `--plan FILE`. The plan decides the repositories and tags, so flags that would choose
 * them again, or `--plan-out`, are UsageErrors, as is a file that is missing or not a plan.
 */
export async function readPlan(flags: SyncFlags): Promise<SyncPlan> {
  const file = flags.plan!;
  if (flags.planOut !== undefined)
    throw new UsageError("--plan runs a plan, --plan-out writes one: give one");
  const choosing = (
    [
      ["--from", flags.from],
      ["--to", flags.to],
      ["--repos", flags.repos],
      ["--tags", flags.tags],
      ["--exclude-tags", flags.excludeTags],
      ["--semver", flags.semver],
      ["--latest", flags.latest],
    ] as const
  ).flatMap(([name, value]) => (value === undefined ? [] : [name]));
  if (choosing.length > 0)
    throw new UsageError(`--plan ${file} decides the repositories and tags: drop ${choosing.join(", ")}`);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new UsageError(`--plan ${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? error})`, {
      cause: error,
    });
  }
  return parseSyncPlan(text, file);
}

/** crossdock.yaml (`--config`, or the one in the working directory) for credentials, when running a plan. */
export async function loadConfigIfAny(configFile: string | undefined): Promise<CrossdockConfig | undefined> {
  const { findConfig, loadConfig } = await import("../../migrate/config/load-config.js");
  const file = configFile ?? (await findConfig("."));
  return file === undefined ? undefined : await loadConfig(file);
}

/** Writes `--plan-out FILE` atomically and says what it holds. */
export async function writePlan(file: string, plan: SyncPlan, client: RegistryClient): Promise<PlanWritten> {
  await writeFileAtomically(file, formatSyncPlan(plan));
  const requests: Record<string, RequestCounts> = {};
  for (const host of client.stats.hosts()) requests[host] = { ...client.stats.forHost(host) };
  return { file, mappings: plan.mappings.length, ...countPlan(plan), requests };
}

/** `--plan-out`/`--result-out` must name a file in an existing directory: checked before any request (exit 2). */
export async function checkOutputFile(flag: string, file: string | undefined): Promise<void> {
  if (file === undefined) return;
  const dir = await stat(path.dirname(path.resolve(file))).catch(() => undefined);
  if (!dir?.isDirectory()) throw new UsageError(`${flag} ${file}: no such directory ${path.dirname(file)}`);
}

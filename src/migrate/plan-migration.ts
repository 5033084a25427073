import { selectTags } from "../copy/tag-filter.js";
import { findRule, type MappingRule } from "../reference/mapping.js";
import { parseReference } from "../reference/reference.js";
import { scanSettingsOf } from "../scan/crossdock-files.js";
import type { ScanOptions } from "../scan/scan-repository.js";
import type { ScanResult } from "../scan/types.js";
import { findConfig, loadConfig } from "./config/load-config.js";
import type { CrossdockConfig } from "./config/types.js";
import { type Lockfile, readLock } from "./lock.js";
import type { MigrateOptions } from "./migration-types.js";
import { type PlannedCopy, planCopies } from "./plan-copies.js";
import { scanProject } from "./scan-project.js";

/** What a migration will do, decided before anything is copied or written. */
export interface MigrationPlan {
  /** The rules: `--map`'s, the config's, and a mirror rule per third-party image the config mirrors. */
  readonly rules: readonly MappingRule[];
  readonly config?: CrossdockConfig;
  /** The scan's include/exclude and category overrides. */
  readonly scanOptions: Omit<ScanOptions, "rules" | "signal">;
  readonly scan: ScanResult;
  /** Every image to copy: each referenced tag or digest, and with `allTags` the own images' other tags. */
  readonly copies: readonly PlannedCopy[];
  /** crossdock.lock as it was before this run, if any. */
  readonly lock?: Lockfile;
}

/**
 * The first step of migrate: reads the config, scans the repository, adds the mirror rules the
 * config asks for, and works out the images and tags to copy (listing the own images' tags with
 * `allTags`). Only reads: the registries see tag-list requests at most.
 */
export async function planMigration(options: MigrateOptions): Promise<MigrationPlan> {
  const signal = options.signal;
  const configFile = options.config ? undefined : await findConfig(options.dir);
  const config = options.config ?? (configFile ? await loadConfig(configFile) : undefined);
  const scanOptions = scanSettingsOf(config);
  options.onStep?.(`scanning ${options.dir}`);
  const { scan, rules } = await scanProject(options.dir, {
    rules: [...(options.rules ?? []), ...(config?.rules ?? [])],
    scan: scanOptions,
    ...(config ? { thirdParty: config.thirdParty } : {}),
    ...(signal ? { signal } : {}),
  });
  const { copies, ownRepositories } = planCopies(scan.references, scan.images, rules);
  const all = options.allTags
    ? [...copies, ...(await listOwnTags(options, config, rules, ownRepositories, copies))]
    : copies;
  const lock = await readLock(options.dir);
  return { rules, scanOptions, scan, copies: all, ...(config ? { config } : {}), ...(lock ? { lock } : {}) };
}

/** With --all-tags: the other tags of the project's own images, filtered by their mapping's tag policy. */
async function listOwnTags(
  options: MigrateOptions,
  config: CrossdockConfig | undefined,
  rules: readonly MappingRule[],
  repositories: ReadonlyArray<{ source: PlannedCopy["source"]; target: PlannedCopy["target"] }>,
  planned: readonly PlannedCopy[],
): Promise<PlannedCopy[]> {
  const have = new Set(planned.map((c) => `${c.source.name}\n${c.reference}`));
  const extra: PlannedCopy[] = [];
  for (const { source, target } of repositories) {
    const rule = findRule(rules, source.name);
    const policy = config?.mappings.find((m) => m.rule === rule)?.policy ?? {};
    const tags = selectTags(
      await options.client.listTags(source, options.signal ? { signal: options.signal } : {}),
      policy,
    );
    for (const tag of tags) {
      if (have.has(`${source.name}\n${tag}`)) continue;
      extra.push({
        source: parseReference(`${source.name}:${tag}`),
        target,
        reference: tag,
        owner: "own",
        usage: "core",
        where: [],
      });
    }
  }
  return extra;
}

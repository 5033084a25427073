import { writeFile } from "node:fs/promises";
import path from "node:path";
import { copyImage, ImageNotFoundError } from "../copy/copy-image.js";
import type { CopyEvent } from "../copy/events.js";
import { mapLimit } from "../copy/limiter.js";
import { PullBudget } from "../copy/pull-budget.js";
import { CopySession } from "../copy/session.js";
import { selectTags } from "../copy/tag-filter.js";
import { findRule, type MappingRule } from "../reference/mapping.js";
import { parseReference, withTag } from "../reference/reference.js";
import type { RegistryClient } from "../registry/client.js";
import { applyRewrite, countEditsByForm, prepareRewrite } from "../rewrite/rewrite-repository.js";
import { scanRepository } from "../scan/scan-repository.js";
import { RegistryRepository } from "../store/registry-repository.js";
import { type VerifyResult, verifyReferences } from "../verify/verify.js";
import { findConfig, loadConfig } from "./config.js";
import { mirrorRule } from "./config-third-party.js";
import type { CrossdockConfig } from "./config-types.js";
import { scanSettingsOf } from "./crossdock-files.js";
import { type LockImage, lockRules, readLock, writeLock } from "./lock.js";
import { type PlannedCopy, planCopies } from "./plan-copies.js";
import { type CopyOutcome, formatMigrationReport } from "./report.js";

/** Options of migrate. */
export interface MigrateOptions {
  /** The repository. */
  readonly dir: string;
  /** Extra `--map` rules; the config in `dir` (crossdock.yaml) is read too. */
  readonly rules?: readonly MappingRule[];
  /** A config already loaded (else crossdock.yaml in `dir`, if any). */
  readonly config?: CrossdockConfig;
  /** A client with credentials for both sides. */
  readonly client: RegistryClient;
  /** A client without credentials, for the public-pull check. */
  readonly anonymousClient: RegistryClient;
  /** Also copy every tag of the project's own images (filtered by the mapping's tag policy). */
  readonly allTags?: boolean;
  /** Decide with HEAD requests, write nothing: no copy, no rewrite, no lock. */
  readonly dryRun?: boolean;
  /** Images copied at once. Default 4, as sync. */
  readonly jobs?: number;
  /** Where to write the Markdown report; default `crossdock-report.md` in `dir`. */
  readonly reportFile?: string;
  readonly onEvent?: (event: CopyEvent) => void;
  readonly onStep?: (message: string) => void;
  readonly signal?: AbortSignal;
}

/** What a migration did. */
export interface MigrateResult {
  readonly ok: boolean;
  readonly lockFile?: string;
  readonly reportFile?: string;
  /** The Markdown report, ready to paste into a pull request. */
  readonly report: string;
  readonly filesChanged: number;
  readonly edits: number;
  readonly attentionCount: number;
  /** One line per thing that went wrong. */
  readonly failures: readonly string[];
  readonly copies: readonly CopyOutcome[];
  readonly verify?: VerifyResult;
}

/**
 * The whole migration of a repository: scan; work out the images and tags to copy; copy them
 * (incrementally, thriftily with the source's pull budget); verify the target has them; rewrite the
 * references, except those whose target failed verification (they are listed, never switched to
 * something that does not resolve); verify again; write crossdock.lock and the report.
 */
export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const step = options.onStep ?? (() => {});
  const signal = options.signal;
  const configFile = options.config ? undefined : await findConfig(options.dir);
  const config = options.config ?? (configFile ? await loadConfig(configFile) : undefined);
  const rules: MappingRule[] = [...(options.rules ?? []), ...(config?.rules ?? [])];
  const scanOptions = scanSettingsOf(config);

  step(`scanning ${options.dir}`);
  const scan = await scanRepository(options.dir, {
    ...scanOptions,
    rules,
    ...(signal ? { signal } : {}),
  });
  if (config) {
    for (const image of scan.images) {
      if (image.category !== "third-party") continue;
      const rule = mirrorRule({ thirdParty: config.thirdParty, rules }, image.name);
      if (rule && !rules.some((r) => r.from.text === rule.from.text)) rules.push(rule);
    }
  }
  const { copies, ownRepositories } = planCopies(scan.references, scan.images, rules);
  const all = options.allTags
    ? [...copies, ...(await listOwnTags(options, config, rules, ownRepositories, copies))]
    : copies;

  step(`${options.dryRun ? "checking" : "copying"} ${all.length} image(s)`);
  const lock = await readLock(options.dir);
  const { outcomes, session, budgets } = await copyAll(options, all);
  const failures = outcomes.filter((o) => o.status === "failed").map((o) => `copy ${o.source}: ${o.error}`);
  // A file the scan could not read may hold references: the migration is not complete until it is
  // read or excluded (paths.exclude in crossdock.yaml).
  const unread = scan.problems.filter((p) => p.unread === true);
  failures.push(...unread.map((p) => `not read, may hold references: ${p.file}: ${p.message}`));

  let verify: VerifyResult | undefined;
  let filesChanged = 0;
  let edits = 0;
  let attentionCount = 0;
  let byForm = new Map<string, number>();
  const lockImages: LockImage[] = outcomes.flatMap((o) =>
    o.digest && o.status !== "failed" && o.status !== "would-copy"
      ? [
          {
            source: o.source,
            target: o.target,
            digest: o.digest,
            mediaType: o.mediaType ?? "",
            platforms: o.platforms ?? [],
            category: o.category,
          },
        ]
      : [],
  );
  const newLock = {
    version: 1 as const,
    images: mergeImages(lock?.images ?? [], lockImages),
    rewrites: lock?.rewrites ?? [],
  };

  step("verifying the target has every referenced image");
  const verifyRules = [...rules, ...lockRules(newLock)];
  const before = await verifyReferences({
    client: options.client,
    anonymousClient: options.anonymousClient,
    rules: verifyRules,
    references: scan.references,
    lock: newLock,
    ...(signal ? { signal } : {}),
  });
  const notSwitched = new Set(
    before.items
      .filter(
        (i) => i.status === "missing" || i.status === "digest-differs" || i.status === "platforms-differ",
      )
      .flatMap((i) => i.where),
  );
  const prepared = await prepareRewrite(options.dir, {
    rules,
    scan: scanOptions,
    journal: newLock.rewrites,
    keep: (occurrence) => !notSwitched.has(`${occurrence.file}:${occurrence.line}`),
    ...(signal ? { signal } : {}),
  });
  attentionCount = prepared.plan.attention.length + notSwitched.size;
  byForm = countEditsByForm(prepared.plan);
  if (options.dryRun) {
    verify = before;
    edits = [...prepared.plan.edits.values()].reduce((n, list) => n + list.length, 0);
    filesChanged = prepared.plan.edits.size;
  } else {
    step("rewriting references");
    const outcome = await applyRewrite(prepared);
    filesChanged = outcome.filesChanged.length;
    edits = outcome.edits;
    failures.push(...outcome.refused.map((r) => r.reason));
    step("verifying the rewritten references");
    const rescan = await scanRepository(options.dir, {
      ...scanOptions,
      rules,
      ...(signal ? { signal } : {}),
    });
    verify = await verifyReferences({
      client: options.client,
      anonymousClient: options.anonymousClient,
      rules: verifyRules,
      references: rescan.references,
      lock: newLock,
      ...(signal ? { signal } : {}),
    });
  }
  for (const item of verify.items)
    if (item.status !== "ok") failures.push(`verify ${item.target}: ${item.problems.join("; ")}`);

  const report = formatMigrationReport({
    dir: options.dir,
    dryRun: options.dryRun === true,
    rules,
    copies: outcomes,
    counters: session.counters,
    editsByForm: byForm,
    filesChanged,
    edits,
    attention: prepared.plan.attention,
    unread,
    notSwitched: before.items.filter((i) => i.where.some((w) => notSwitched.has(w))),
    verify,
    budgets: [...budgets.entries()].map(([registry, budget]) => ({
      registry,
      ...budget.readings(),
      spent: budget.spent,
    })),
  });
  const result = {
    ok: failures.length === 0,
    report,
    filesChanged,
    edits,
    attentionCount,
    failures,
    copies: outcomes,
    verify,
  };
  if (options.dryRun) return result;
  const lockFile = await writeLock(options.dir, {
    ...newLock,
    rewrites: prepared.plan.journal.length > 0 ? prepared.plan.journal : newLock.rewrites,
  });
  const reportFile = options.reportFile ?? path.join(options.dir, "crossdock-report.md");
  await writeFile(reportFile, report);
  return { ...result, lockFile, reportFile };
}

/** Copies (or, in a dry run, checks) every planned image with one shared session and a pull budget per source registry. */
async function copyAll(options: MigrateOptions, copies: readonly PlannedCopy[]) {
  const budgets = new Map<string, PullBudget>();
  for (const copy of copies) {
    const host = copy.source.domain;
    if (budgets.has(host)) continue;
    budgets.set(
      host,
      new PullBudget({
        read: () => options.client.rateLimit(host),
        probe: async (signal) => {
          await options.client
            .headManifest(
              withTag(copy.source, copy.reference.includes(":") ? "latest" : copy.reference),
              signal,
            )
            .catch(() => undefined);
        },
      }),
    );
  }
  const session = new CopySession({
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    budgets: new Map([...budgets].map(([host, budget]) => [`registry:${host}`, budget])),
  });
  const repositories = new Map<string, RegistryRepository>();
  const repositoryOf = (ref: PlannedCopy["source"]): RegistryRepository => {
    let repository = repositories.get(ref.name);
    if (!repository) {
      repository = new RegistryRepository(options.client, ref);
      repositories.set(ref.name, repository);
    }
    return repository;
  };
  const outcomes = await mapLimit(copies, options.jobs ?? 4, async (copy): Promise<CopyOutcome> => {
    const base = {
      source: `${copy.source.name}${copy.reference.includes(":") ? "@" : ":"}${copy.reference}`,
      target: `${copy.target.name}${copy.reference.includes(":") ? "@" : ":"}${copy.reference}`,
      category: copy.category,
      where: copy.where,
    };
    const source = repositoryOf(copy.source);
    const target = repositoryOf(copy.target);
    try {
      if (options.dryRun) {
        const [s, t] = await Promise.all([
          source.headManifest(copy.reference, options.signal),
          target.headManifest(copy.reference, options.signal),
        ]);
        if (!s) return { ...base, status: "failed", error: "the source has no such tag or digest" };
        return {
          ...base,
          digest: s.digest,
          mediaType: s.mediaType,
          status: t?.digest === s.digest ? "in-sync" : "would-copy",
        };
      }
      const result = await copyImage(source, target, copy.reference, {
        session,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      return {
        ...base,
        status: result.status,
        digest: result.digest,
        mediaType: result.mediaType,
        platforms: result.platforms,
      };
    } catch (error) {
      const message =
        error instanceof ImageNotFoundError
          ? "the source has no such tag or digest"
          : error instanceof Error
            ? error.message
            : String(error);
      return { ...base, status: "failed", error: message };
    }
  });
  return { outcomes, session, budgets };
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
        category: "own",
        where: [],
      });
    }
  }
  return extra;
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

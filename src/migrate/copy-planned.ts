import { copyImage, ImageNotFoundError } from "../copy/copy-image.js";
import { mapLimit } from "../copy/limiter.js";
import type { PullBudget } from "../copy/pull-budget.js";
import { createPullBudgets } from "../copy/pull-budgets.js";
import { CopySession } from "../copy/session.js";
import { isIndexMediaType } from "../oci/media-types.js";
import { parseManifestReference, qualifyManifestReference } from "../reference/manifest-reference.js";
import { type Reference, withDigest } from "../reference/reference.js";
import type { RegistryClient } from "../registry/client.js";
import { inspectImage } from "../registry/inspect-image.js";
import { RegistryRepository } from "../store/registry-repository.js";
import type { MigrateOptions } from "./migration-types.js";
import type { PlannedCopy } from "./plan-copies.js";
import type { CopyOutcome } from "./report.js";

/** What the copy step did: one outcome per planned image, the session's counters, the pull budgets spent. */
export interface CopiedImages {
  readonly outcomes: readonly CopyOutcome[];
  readonly session: CopySession;
  /** One budget per source registry, by storage key (`registry:docker.io`). */
  readonly budgets: ReadonlyMap<string, PullBudget>;
}

/**
 * The copy step of migrate: copies (or, in a dry run, checks with HEAD requests) every planned
 * image with one shared session and a pull budget per source registry. A failed image is an
 * outcome, not an exception.
 */
export async function copyPlanned(
  options: MigrateOptions,
  copies: readonly PlannedCopy[],
): Promise<CopiedImages> {
  const budgets = createPullBudgets(
    options.client,
    copies.map((copy) => copy.source),
    options.onEvent ? { onEvent: options.onEvent } : {},
  );
  const session = new CopySession({
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    budgets,
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
    const reference = parseManifestReference(copy.reference);
    const base = {
      source: qualifyManifestReference(copy.source.name, reference),
      target: qualifyManifestReference(copy.target.name, reference),
      owner: copy.owner,
      usage: copy.usage,
      where: copy.where,
    };
    const source = repositoryOf(copy.source);
    const target = repositoryOf(copy.target);
    try {
      if (options.dryRun) {
        const [s, t] = await Promise.all([
          source.headManifest(reference, options.signal),
          target.headManifest(reference, options.signal),
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
      const platforms =
        result.platforms.length > 0 || isIndexMediaType(result.mediaType)
          ? result.platforms
          : await platformOfImage(options.client, copy.target, result.digest, options.signal);
      return {
        ...base,
        status: result.status,
        digest: result.digest,
        mediaType: result.mediaType,
        platforms,
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

/**
 * The one platform of a single-platform image, from its config (`os`, `architecture`, `variant`),
 * read from the target once the copy put it there: the source, perhaps rate-limited, is not asked
 * again. Empty when the config names none or cannot be read: the lock then records no platform,
 * and the copy stands.
 */
async function platformOfImage(
  client: RegistryClient,
  target: Reference,
  digest: string,
  signal: AbortSignal | undefined,
): Promise<string[]> {
  try {
    const summary = await inspectImage(client, withDigest(target, digest), signal);
    return summary.platforms.map((p) => p.platform).filter((p) => p !== "unknown");
  } catch {
    signal?.throwIfAborted();
    return [];
  }
}

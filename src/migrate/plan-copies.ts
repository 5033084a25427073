import { parseManifestReference, qualifyManifestReference } from "../reference/manifest-reference.js";
import { type MappingRule, mapReference } from "../reference/mapping.js";
import { formatReference, type Reference, repositoryOf } from "../reference/reference.js";
import type { ImageSummary, Occurrence, Owner, Usage } from "../scan/types.js";

/** One image a migration copies: a source tag or digest and where it goes. */
export interface PlannedCopy {
  readonly source: Reference;
  readonly target: Reference;
  /** The tag or digest to copy. */
  readonly reference: string;
  readonly owner: Owner;
  readonly usage: Usage;
  /** Where the repository refers to it (`file:line`), empty for tags added by --all-tags. */
  readonly where: readonly string[];
}

/**
 * Works out what a migration copies (pure): every tag or digest any file references under a rule
 * (a reference with neither means `latest`, as a pull would), deduplicated; not push destinations,
 * whose tags CI writes (the source may not have them yet). Repositories whose
 * images are this project's own are returned too, so `--all-tags` can add their other tags.
 */
export function planCopies(
  references: readonly Occurrence[],
  images: readonly ImageSummary[],
  rules: readonly MappingRule[],
): { copies: PlannedCopy[]; ownRepositories: Array<{ source: Reference; target: Reference }> } {
  const categories = new Map(images.map((image) => [image.name, image]));
  const byKey = new Map<string, { copy: PlannedCopy; where: string[] }>();
  for (const occurrence of references) {
    // A bare name without evidence is no image (see settleEvidence): nothing to copy.
    const ref =
      occurrence.kind === "complete" && occurrence.noEvidence !== true && occurrence.role !== "push"
        ? occurrence.reference
        : undefined;
    if (!ref) continue;
    const target = mapReference(rules, ref);
    if (!target) continue;
    const reference = ref.digest ?? ref.tag ?? "latest";
    const key = `${ref.name}\n${reference}`;
    const entry = byKey.get(key) ?? {
      copy: {
        source: ref,
        target,
        reference,
        owner: categories.get(ref.name)?.owner ?? "third-party",
        usage: categories.get(ref.name)?.usage ?? "core",
        where: [],
      },
      where: [],
    };
    entry.where.push(`${occurrence.file}:${occurrence.line}`);
    byKey.set(key, entry);
  }
  const copies = [...byKey.values()]
    .map(({ copy, where }) => ({ ...copy, where }))
    .sort((a, b) => a.source.name.localeCompare(b.source.name) || a.reference.localeCompare(b.reference));
  const own = new Map<string, { source: Reference; target: Reference }>();
  for (const copy of copies) {
    if (copy.owner === "own")
      own.set(copy.source.name, { source: repositoryOf(copy.source), target: repositoryOf(copy.target) });
  }
  // An own image CI only pushes still has tags for `--all-tags` to copy.
  for (const occurrence of references) {
    const ref = occurrence.role === "push" ? occurrence.reference : undefined;
    const target = ref === undefined ? undefined : mapReference(rules, ref);
    if (
      ref !== undefined &&
      target !== undefined &&
      categories.get(ref.name)?.owner === "own" &&
      !own.has(ref.name)
    )
      own.set(ref.name, { source: repositoryOf(ref), target: repositoryOf(target) });
  }
  return { copies, ownRepositories: [...own.values()] };
}

/** `name:tag` or `name@digest` of a planned copy's side. */
export function describeSide(ref: Reference, reference: string): string {
  return qualifyManifestReference(formatReference(repositoryOf(ref)), parseManifestReference(reference));
}

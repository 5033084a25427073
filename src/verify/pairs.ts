import { InvalidReferenceError } from "../reference/errors.js";
import { findRule, type MappingRule, mapReference, reverseRules } from "../reference/mapping.js";
import { formatReference, type Reference } from "../reference/reference.js";
import { splitTemplatedTag } from "../reference/templated-tag.js";
import type { Occurrence } from "../scan/types.js";

/** One (source, target) pair to check, with every place in the repository that names it. */
export interface VerifyPair {
  readonly source: Reference;
  readonly target: Reference;
  /** `file:line` of each occurrence, in scan order, without repeats (before and after the rewrite alike). */
  readonly where: readonly string[];
  /** What the files write at the first place: the source before the switch, the target after. */
  readonly named: "source" | "target";
}

/** A complete reference a rule covers whose mapped form is not a valid reference (a path too long). */
export interface UnmappablePair {
  readonly text: string;
  readonly where: readonly string[];
  readonly reason: string;
}

/**
 * A push destination a rule covers (where CI publishes: build-push-action `tags:`, `docker push`):
 * listed, never checked, as the tag it names may not exist until CI next pushes.
 */
export interface PushDestination {
  /** The reference as written (`org/app:${{ github.ref_name }}`). */
  readonly text: string;
  readonly where: readonly string[];
}

/** What verify leaves unchecked, and why, so the report can say how much it did not cover. */
export interface SkippedReferences {
  /** Bare registry/namespace prefixes a rule covers (`docker.io/kubeflowkatib` in a Makefile): no tag to check. */
  readonly prefix: number;
  /** References holding variables or templates (all of them: what they resolve to is not known here). */
  readonly partial: number;
}

/** The outcome of planVerifyPairs. */
export interface VerifyPlan {
  readonly pairs: readonly VerifyPair[];
  readonly unmappable: readonly UnmappablePair[];
  readonly skipped: SkippedReferences;
  readonly pushes: readonly PushDestination[];
}

/**
 * Works out which (source, target) pairs to check, without I/O. A complete reference a rule covers
 * is a source (before the rewrite: target = its mapping); one the reversed rules cover is a target
 * already (after the rewrite: source = its reverse mapping), so verify works on either side of the
 * switch. Pairs are deduplicated by (source, target); references no rule covers are left alone.
 * Push destinations are listed apart and not checked: only pulls and bases must resolve.
 */
export function planVerifyPairs(
  references: readonly Occurrence[],
  rules: readonly MappingRule[],
): VerifyPlan {
  const reversed = reverseRules(rules);
  const pairs = new Map<string, VerifyPair & { where: string[] }>();
  const unmappable = new Map<string, { text: string; where: string[]; reason: string }>();
  const pushes = new Map<string, string[]>();
  let prefix = 0;
  let partial = 0;
  for (const occurrence of references) {
    // A bare name without evidence is no image (see settleEvidence): nothing to verify.
    if (occurrence.noEvidence === true) continue;
    const where = `${occurrence.file}:${occurrence.line}`;
    if (occurrence.role === "push") {
      const name = pushedName(occurrence);
      if (name !== undefined && (findRule(rules, name) ?? findRule(reversed, name)) !== undefined) {
        const list = pushes.get(occurrence.text) ?? [];
        if (!list.includes(where)) list.push(where);
        pushes.set(occurrence.text, list);
      }
      continue;
    }
    const ref = occurrence.reference;
    if (occurrence.kind === "prefix") {
      const text = occurrence.prefix;
      if (text !== undefined && (findRule(rules, text) ?? findRule(reversed, text)) !== undefined) prefix++;
      continue;
    }
    if (occurrence.kind === "partial" || ref === undefined) {
      partial++;
      continue;
    }
    let pair: Omit<VerifyPair, "where"> | undefined;
    try {
      const forward = mapReference(rules, ref);
      if (forward !== undefined) pair = { source: ref, target: forward, named: "source" };
      else {
        const back = mapReference(reversed, ref);
        if (back !== undefined) pair = { source: back, target: ref, named: "target" };
      }
    } catch (error) {
      if (!(error instanceof InvalidReferenceError)) throw error;
      const text = formatReference(ref);
      const entry = unmappable.get(text) ?? { text, where: [], reason: error.message };
      if (!entry.where.includes(where)) entry.where.push(where);
      unmappable.set(text, entry);
      continue;
    }
    if (pair === undefined) continue;
    const key = `${formatReference(pair.source)} ${formatReference(pair.target)}`;
    const entry = pairs.get(key) ?? { ...pair, where: [] };
    if (!entry.where.includes(where)) entry.where.push(where);
    pairs.set(key, entry);
  }
  return {
    pairs: [...pairs.values()],
    unmappable: [...unmappable.values()],
    skipped: { prefix, partial },
    pushes: [...pushes].map(([text, where]) => ({ text, where })),
  };
}

/** The repository (or prefix) a push destination names, when its name is literal. */
function pushedName(occurrence: Occurrence): string | undefined {
  if (occurrence.kind === "prefix") return occurrence.prefix;
  if (occurrence.reference !== undefined) return occurrence.reference.name;
  return splitTemplatedTag(occurrence.value)?.reference.name;
}

import { createRequire } from "node:module";
import type Semver from "semver";
import { UsageError } from "../errors.js";
import { isAttachmentTag } from "./attachments.js";

/**
 * The semver library, loaded on first use: most syncs filter by regex or not at all (start-up
 * time). Node's module cache makes every later call a lookup.
 */
function semverLib(): typeof Semver {
  return createRequire(import.meta.url)("semver") as typeof Semver;
}

/** Which tags of a repository to copy. */
export interface TagPolicy {
  /** Keep tags matching this regular expression (anchored: the whole tag must match). */
  readonly include?: string;
  /** Drop tags matching this one (anchored). */
  readonly exclude?: string;
  /** Keep tags that are versions in this semver range (`>=0.15.0`, `^1.2`); a leading `v` is allowed. */
  readonly semver?: string;
  /** Keep only the newest N versions (by semver; non-version tags are dropped when this is set). */
  readonly latest?: number;
  /** Keep cosign and referrers-fallback tags in the list (by default they come along with their images). */
  readonly keepAttachmentTags?: boolean;
}

/** Checks a policy's regular expressions and range up front, so bad input fails before any request (exit 2). */
export function validateTagPolicy(policy: TagPolicy): void {
  for (const [flag, pattern] of [
    ["--tags", policy.include],
    ["--exclude-tags", policy.exclude],
  ] as const) {
    if (pattern === undefined) continue;
    try {
      new RegExp(pattern);
    } catch (error) {
      throw new UsageError(`${flag}: invalid regular expression ${JSON.stringify(pattern)}`, {
        cause: error,
      });
    }
  }
  if (policy.semver !== undefined && semverLib().validRange(policy.semver) === null) {
    throw new UsageError(`--semver: invalid range ${JSON.stringify(policy.semver)}`);
  }
  if (policy.latest !== undefined && (!Number.isInteger(policy.latest) || policy.latest < 1)) {
    throw new UsageError(`--latest: want a whole number of at least 1, got ${policy.latest}`);
  }
}

/**
 * The tags a policy selects, in a stable order (newest version first when versions are involved,
 * otherwise as listed). Pure: the sync planner's tests live on it.
 */
export function selectTags(tags: readonly string[], policy: TagPolicy): string[] {
  validateTagPolicy(policy);
  const include = policy.include !== undefined ? new RegExp(`^(?:${policy.include})$`) : undefined;
  const exclude = policy.exclude !== undefined ? new RegExp(`^(?:${policy.exclude})$`) : undefined;
  let selected = tags.filter(
    (tag) =>
      (policy.keepAttachmentTags || !isAttachmentTag(tag)) &&
      (include === undefined || include.test(tag)) &&
      (exclude === undefined || !exclude.test(tag)),
  );
  if (policy.semver !== undefined || policy.latest !== undefined) {
    const semver = semverLib();
    const versioned = selected
      .map((tag) => ({ tag, version: semver.valid(tag.replace(/^v/, "")) }))
      .filter((entry): entry is { tag: string; version: string } => typeof entry.version === "string")
      .filter(
        (entry) =>
          policy.semver === undefined ||
          semver.satisfies(entry.version, policy.semver, { includePrerelease: false }),
      );
    versioned.sort((a, b) => semver.rcompare(a.version, b.version) || a.tag.localeCompare(b.tag));
    selected = versioned.map((entry) => entry.tag);
    if (policy.latest !== undefined) selected = selected.slice(0, policy.latest);
  }
  return selected;
}

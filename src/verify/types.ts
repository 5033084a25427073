import type { PushDestination, SkippedReferences } from "./pairs.js";

/**
 * How one reference fared, worst first: the target lacks it (`missing`); the target's platforms
 * differ; its digest differs; it cannot be pulled anonymously (`not-public`); signatures the source
 * has were not copied; the source is gone and no lock says what it was (`source-missing`); a check
 * failed (`error`).
 */
export type VerifyStatus =
  | "ok"
  | "missing"
  | "digest-differs"
  | "platforms-differ"
  | "not-public"
  | "signatures-missing"
  | "source-missing"
  | "error";

/** One checked (source, target) pair and every place that names it. */
export interface VerifyItem {
  /** Canonical source reference. */
  readonly source: string;
  /** Canonical target reference. */
  readonly target: string;
  /** `file:line` of every occurrence. */
  readonly where: readonly string[];
  /** The worst of the problems; "ok" when there are none. */
  readonly status: VerifyStatus;
  /** Every problem found, in words, with what to do about it. */
  readonly problems: readonly string[];
  /** The source's digest (or crossdock.lock's when the source is gone). */
  readonly sourceDigest?: string;
  readonly targetDigest?: string;
  /** The target index's platforms (`os/arch[/variant]`); absent for a single-platform image. */
  readonly platforms?: readonly string[];
}

/** What verifyReferences found. */
export interface VerifyResult {
  readonly items: readonly VerifyItem[];
  /** Every item is ok (and no reference a rule covers failed to map). */
  readonly ok: boolean;
  /** Prefix and partial references, which are not verified. */
  readonly skipped: SkippedReferences;
  /** Push destinations the rules cover: listed as such, not verified (CI creates their tags). */
  readonly pushes: readonly PushDestination[];
}

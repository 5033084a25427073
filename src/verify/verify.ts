import { mapLimit } from "../copy/limiter.js";
import type { MappingRule } from "../reference/mapping.js";
import type { RegistryClient } from "../registry/client.js";
import type { Occurrence } from "../scan/types.js";
import { type CheckContext, checkPair, type RecordedImage } from "./check-pair.js";
import { planVerifyPairs, type SkippedReferences } from "./pairs.js";
import type { AnonymousPull } from "./visibility.js";

/** Options of verifyReferences. */
export interface VerifyOptions {
  /** A client with credentials, for reading the source and the target. */
  readonly client: RegistryClient;
  /** A client with no credentials: the public-pull check, as a stranger's `docker pull` would go. */
  readonly anonymousClient: RegistryClient;
  readonly rules: readonly MappingRule[];
  /** The references of a scan (scanRepository). */
  readonly references: readonly Occurrence[];
  /**
   * The digests (and platforms) an earlier migration recorded for source references
   * (crossdock.lock's images): what a target must match when the source cannot be read.
   */
  readonly recorded?: readonly RecordedImage[];
  /** Whether to check anonymous pulls; default true. */
  readonly checkPublic?: boolean;
  /** Pairs checked at once; default 4. */
  readonly jobs?: number;
  readonly signal?: AbortSignal;
}

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
}

/**
 * Checks every complete reference the rules cover, before the rewrite (it names the source) or
 * after it (it names the target), against the registries: the target has the tag or digest, with
 * the source's digest (or crossdock.lock's when the source is gone) and platforms, anyone can pull
 * it, and the source's signatures came along. HEAD requests wherever they suffice; the one manifest
 * GET is an index's body, for its platforms. A reference the target lacks ("pins a tag nobody
 * copied") is reported with every file:line that pins it.
 */
export async function verifyReferences(options: VerifyOptions): Promise<VerifyResult> {
  const plan = planVerifyPairs(options.references, options.rules);
  const context: CheckContext = {
    client: options.client,
    anonymousClient: options.anonymousClient,
    recorded: options.recorded ?? [],
    // A package that only its owner can pull breaks every user's deploy: check unless told not to.
    checkPublic: options.checkPublic ?? true,
    anonymousPulls: new Map<string, Promise<AnonymousPull>>(),
    signal: options.signal,
  };
  // Four pairs at once: each is a handful of small HEADs, and Docker Hub counts concurrent connections.
  const jobs = options.jobs ?? 4;
  const checked = await mapLimit(plan.pairs, jobs, (pair) => checkPair(pair, context));
  const unmappable: VerifyItem[] = plan.unmappable.map((u) => ({
    source: u.text,
    target: "",
    where: u.where,
    status: "error",
    problems: [`cannot map ${u.text}: ${u.reason}`],
  }));
  const items = [...checked, ...unmappable];
  return { items, ok: items.every((item) => item.status === "ok"), skipped: plan.skipped };
}

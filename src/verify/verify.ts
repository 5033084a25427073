import { mapLimit } from "../copy/limiter.js";
import type { MappingRule } from "../reference/mapping.js";
import type { RegistryClient } from "../registry/client.js";
import type { Occurrence } from "../scan/types.js";
import { type CheckContext, checkPair, type RecordedImage } from "./check-pair.js";
import { planVerifyPairs } from "./pairs.js";
import type { VerifyItem, VerifyResult } from "./types.js";
import type { AnonymousPull } from "./visibility.js";

export type { VerifyItem, VerifyResult, VerifyStatus } from "./types.js";

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
 * Checks every complete pull or base reference the rules cover (push destinations are listed, not checked), before the rewrite (it names the source) or
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
  return {
    items,
    ok: items.every((item) => item.status === "ok"),
    skipped: plan.skipped,
    pushes: plan.pushes,
  };
}

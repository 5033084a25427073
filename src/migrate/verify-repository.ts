import type { MappingRule } from "../reference/mapping.js";
import type { RegistryClient } from "../registry/client.js";
import type { ScanOptions } from "../scan/scan-repository.js";
import type { Occurrence } from "../scan/types.js";
import { type VerifyResult, verifyReferences } from "../verify/verify.js";
import type { ThirdPartyPolicy } from "./config/types.js";
import { type Lockfile, lockRules, readLock } from "./lock.js";
import { scanProject } from "./scan-project.js";

/** Options of verifyRepository. */
export interface VerifyRepositoryOptions {
  /** The repository. */
  readonly dir: string;
  /** The mapping rules (`--map` and crossdock.yaml's). */
  readonly rules: readonly MappingRule[];
  /** The scan's include/exclude and category overrides (scanSettingsOf the config). */
  readonly scan: Omit<ScanOptions, "rules" | "signal">;
  /** crossdock.yaml's `thirdParty:`: with `mirror`, third-party references are checked against the mirror (see scanProject). */
  readonly thirdParty?: ThirdPartyPolicy;
  /** A client with credentials, for reading the source and the target. */
  readonly client: RegistryClient;
  /** A client with no credentials: the public-pull check. */
  readonly anonymousClient: RegistryClient;
  /** The lock to hold the targets against; default DIR/crossdock.lock when there is one. */
  readonly lock?: Lockfile;
  /** References already scanned, with `rules` already holding their mirror rules; default: scanProject of DIR. */
  readonly references?: readonly Occurrence[];
  /** Whether to check anonymous pulls; default true. */
  readonly checkPublic?: boolean;
  /** Pairs checked at once (verifyReferences' default 4 when absent). */
  readonly jobs?: number;
  readonly signal?: AbortSignal;
}

/**
 * `crossdock verify` as one call, and migrate's two verifications: scans DIR (unless given the
 * references), and checks every mapped reference against the registries with the lock's digests
 * as what a target must match when its source is gone. The lock's exact source = target pairs
 * are added to the rules, so the source of every target it knows is found, mirrors included.
 */
export async function verifyRepository(options: VerifyRepositoryOptions): Promise<VerifyResult> {
  const { dir, signal } = options;
  const scanned = options.references
    ? { references: options.references, rules: options.rules }
    : await scanProject(dir, options).then(({ scan, rules }) => ({ references: scan.references, rules }));
  const lock = options.lock ?? (await readLock(dir));
  return await verifyReferences({
    client: options.client,
    anonymousClient: options.anonymousClient,
    rules: [...scanned.rules, ...(lock ? lockRules(lock) : [])],
    references: scanned.references,
    recorded: lock?.images ?? [],
    ...(options.checkPublic !== undefined ? { checkPublic: options.checkPublic } : {}),
    ...(options.jobs !== undefined ? { jobs: options.jobs } : {}),
    ...(signal ? { signal } : {}),
  });
}

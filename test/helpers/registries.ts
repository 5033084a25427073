import { type DistributionRegistry, startDistribution } from "./distribution.js";
import { startServeRegistry } from "./serve.js";
import { skipUnless } from "./tools.js";

/** The registries the integration suites run against, each started fresh on loopback. */
export type RegistryKindName = "docker-registry" | "crossdock serve";

/** One registry implementation a suite is parameterized by. */
export interface RegistryKind {
  readonly name: RegistryKindName;
  readonly start: () => Promise<DistributionRegistry>;
  /**
   * For `describe(name, { skip })`: false when the registry can run here, else the reason. Under
   * CI=true a missing docker-registry throws (skipUnless), so nothing is silently skipped there.
   */
  readonly skip: string | false;
}

/**
 * docker-registry (CNCF distribution 2.8, no referrers API) and crossdock's own `serve` registry
 * (in-process, OCI distribution 1.1 with the referrers API). crossdock serve needs nothing but
 * Node.js, so it never skips: a machine without docker-registry still runs every suite once.
 */
export const registryKinds: RegistryKind[] = [
  { name: "docker-registry", start: () => startDistribution(), skip: skipUnless("docker-registry") },
  { name: "crossdock serve", start: () => startServeRegistry(), skip: false },
];

/** Whether a registry kind answers the OCI referrers API (docker-registry 2.8 does not). */
export function hasReferrersApi(kind: RegistryKind): boolean {
  return kind.name === "crossdock serve";
}

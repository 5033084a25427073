/** The OCI registry client: transport, auth, operations, errors, rate limits, counters. */

export type { AccessCheck } from "./check-access.js";
export * from "./client.js";
export * from "./docker-hub-repositories.js";
export * from "./errors.js";
export * from "./hosts.js";
export * from "./rate-limit.js";
export * from "./stats.js";
export * from "./types.js";

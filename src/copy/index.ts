/** The copy engine: images and their attachments, byte for byte, and incremental sync. */
export * from "./attachments.js";
export * from "./copy-as-oci.js";
export * from "./copy-image.js";
export * from "./counters.js";
export * from "./events.js";
export * from "./plan-file.js";
export * from "./plan-share.js";
export * from "./pull-budget.js";
export * from "./pull-budgets.js";
export * from "./run-plan.js";
export * from "./run-sync.js";
export * from "./session.js";
export * from "./summary.js";
export * from "./sync.js";
export * from "./sync-pairs.js";
export * from "./sync-plan.js";
export * from "./tag-filter.js";

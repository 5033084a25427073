/** Migrate: the config file, the lock, the whole migration and its report, and `init`. */

export * from "./config/error.js";
export * from "./config/load-config.js";
export * from "./config/third-party.js";
export * from "./config/types.js";
export * from "./copy-planned.js";
export * from "./doctor.js";
export * from "./find-drift.js";
export * from "./forecast-switch.js";
export * from "./init.js";
export * from "./lock.js";
export * from "./migrate.js";
export * from "./phase.js";
export * from "./plan-copies.js";
export * from "./plan-migration.js";
export * from "./project-status.js";
export * from "./report.js";
export * from "./rewrite-project.js";
export * from "./rollback.js";
export * from "./switch-references.js";
export * from "./sync-mappings.js";
export * from "./verify-repository.js";

/**
 * crossdock's library API: every CLI command is one call into these names.
 *
 * The public surface is listed here by name, one group a layer (sorted by module path), and
 * reviewed in `etc/crossdock.api.md`: `npm run api` regenerates that report and `npm run check`
 * fails while it is stale, so a change to the surface is a visible diff. Anything not named here
 * is internal, even when its module exports it for its neighbours.
 *
 * Still to come (branch plan-shards): `sync --plan-out/--plan --shard` and `lock merge` add their
 * calls, options and result types to the copy and migrate groups below.
 *
 * @packageDocumentation
 */

// CI: `crossdock ci github` (planGithubCi, then applyGithubCi; a dry run prints formatGithubCiDiff),
// `crossdock ci github --shards` (shardedSyncWorkflow) and `crossdock ci kubernetes` (generateKubernetesSync).
export {
  applyGithubCi,
  formatGithubCiDiff,
  type GithubCiFile,
  type GithubCiOptions,
  type GithubCiPlan,
  planGithubCi,
} from "./ci/github/github-ci.js";
export { defaultActionRef, maintainWorkflow, maintainWorkflowPath } from "./ci/github/maintain-workflow.js";
export { patchWorkflow, WorkflowError, type WorkflowPatch } from "./ci/github/patch-workflow.js";
export { type ShardedSyncWorkflowOptions, shardedSyncWorkflow } from "./ci/github/sharded-sync-workflow.js";
export type { TextSplice } from "./ci/github/yaml-text.js";
export { type GenerateKubernetesSyncOptions, generateKubernetesSync } from "./ci/kubernetes/generate.js";
export { type ShardedSyncJobOptions, shardedSyncJob } from "./ci/kubernetes/sharded-job.js";
export { pinImage } from "./ci/pin-image.js";
export { type CopyAsOciResult, copyImageAsOci } from "./copy/copy-as-oci.js";
// Copy: `crossdock copy` (copyImage, with openLocation) and `crossdock sync` (sync).
export {
  type CopyImageOptions,
  type CopyImageResult,
  copyImage,
  ImageNotFoundError,
} from "./copy/copy-image.js";
export { type CopyLocationOptions, copyLocation } from "./copy/copy-location.js";
export type { CopyCounters, CopyCountersJson } from "./copy/counters.js";
export type { CopyEvent, CopyEventListener } from "./copy/events.js";
export type { Limiter } from "./copy/limiter.js";
export { formatSyncPlan, parseSyncPlan } from "./copy/plan-file.js";
export { type ShardSpec, shareOfPlan } from "./copy/plan-share.js";
export {
  BudgetExhaustedError,
  type PullBudget,
  type PullBudgetOptions,
  type RateLimitReading,
} from "./copy/pull-budget.js";
export { type SyncPlanOptions, syncPlan } from "./copy/run-plan.js";
export { type SyncMapping, type SyncReport, type SyncRunOptions, sync } from "./copy/run-sync.js";
export type { CopySession, CopySessionOptions } from "./copy/session.js";
export { divideIntoShares, type PlannedRepository, parseShard, type Share } from "./copy/shares.js";
export type { SingleFlight } from "./copy/single-flight.js";
export type { RequestCounts, SyncSummary } from "./copy/summary.js";
export type { SyncEntry, SyncStatus } from "./copy/sync.js";
export { type PlannedMapping, type PlanSyncOptions, planSync, type SyncPlan } from "./copy/sync-plan.js";
export type { TagPolicy } from "./copy/tag-filter.js";
// Errors: every error crossdock throws extends CrossdockError and carries a stable `code`.
export { type ErrorCode, errorCodes } from "./error-codes.js";
export { CrossdockError, type CrossdockErrorOptions, isTemporary, UsageError } from "./errors.js";
// Migrate: crossdock.yaml, crossdock.lock and the project-level calls of `scan` (scanProject), `rewrite` (rewriteProject),
// `verify` (verifyRepository), `migrate` (migrate, or its steps planMigration, copyPlanned,
// switchReferences, forecastSwitch), `status` (projectStatus, findDrift), `rollback`
// (rollbackProject), `init` (initConfig), and sync's mappings from flags or config (planSyncMappings).
export { ConfigError, type ConfigIssue } from "./migrate/config/error.js";
export { findConfig, loadConfig, parseConfig } from "./migrate/config/load-config.js";
export {
  type ConfigMapping,
  type CrossdockConfig,
  type MirrorPathRule,
  type Phase,
  phases,
  type RegistrySettings,
  type ThirdPartyPolicy,
} from "./migrate/config/types.js";
export { type CopiedImages, copyPlanned } from "./migrate/copy-planned.js";
export {
  type DoctorBudget,
  type DoctorCheck,
  type DoctorFinding,
  type DoctorOptions,
  type DoctorReport,
  runDoctor,
} from "./migrate/doctor.js";
export { type DriftItem, type DriftOptions, findDrift } from "./migrate/find-drift.js";
export { forecastSwitch } from "./migrate/forecast-switch.js";
export { type InitOptions, type InitResult, initConfig } from "./migrate/init.js";
export {
  type Lockfile,
  type LockImage,
  lockFileName,
  parseLock,
  readLock,
  type WrittenFile,
} from "./migrate/lock.js";
export { type MergeResultFilesOptions, mergeResultFiles } from "./migrate/lock-merge.js";
export { type MergedResults, mergeSyncResults, type NamedResult } from "./migrate/merge-results.js";
export { migrate } from "./migrate/migrate.js";
export type { MigrateOptions, MigrateResult } from "./migrate/migration-types.js";
export type { PlannedCopy } from "./migrate/plan-copies.js";
export { type MigrationPlan, planMigration } from "./migrate/plan-migration.js";
export { type ProjectStatus, projectStatus, type StatusOptions } from "./migrate/project-status.js";
export type { CopyOutcome } from "./migrate/report.js";
export {
  fetchSyncResults,
  pushSyncResult,
  resultTag,
  syncResultArtifactType,
} from "./migrate/result-artifact.js";
export {
  type ProjectRewrite,
  type RewriteProjectOptions,
  rewriteProject,
} from "./migrate/rewrite-project.js";
export { type RollbackOptions, type RollbackResult, rollbackProject } from "./migrate/rollback.js";
export {
  type ProjectScan,
  planMirrorRules,
  type ScanProjectOptions,
  scanProject,
} from "./migrate/scan-project.js";
export { findStaleLogins } from "./migrate/stale-logins.js";
export { type SwitchOutcome, switchReferences } from "./migrate/switch-references.js";
export { planSyncMappings, type SyncRequest } from "./migrate/sync-mappings.js";
export {
  formatSyncResult,
  parseSyncResult,
  type ResultImage,
  type ResultTag,
  resultOfSync,
  type SyncResult,
} from "./migrate/sync-result.js";
export { type VerifyRepositoryOptions, verifyRepository } from "./migrate/verify-repository.js";
// OCI (pure): the manifests and descriptors that the registry and store calls return.
export {
  type Descriptor,
  formatPlatform,
  type ImageManifest,
  type IndexManifest,
  type Manifest,
  ManifestError,
  type Platform,
} from "./oci/manifest.js";
export { MediaType } from "./oci/media-types.js";
// Reference (pure): the image-reference grammar and mapping rules; `crossdock ref normalize`.
export { InvalidReferenceError } from "./reference/errors.js";
export {
  digestReference,
  formatManifestReference,
  type ManifestReference,
  parseManifestReference,
  tagReference,
} from "./reference/manifest-reference.js";
export {
  findRule,
  formatMappingRule,
  type MappingRule,
  mapReference,
  type Prefix,
  parseMappingRule,
  parsePrefix,
} from "./reference/mapping.js";
export {
  familiarString,
  formatReference,
  parseReference,
  type Reference,
  tryParseReference,
  withDigest,
  withTag,
} from "./reference/reference.js";
// Registry: the client and its options, errors, credential sources; `crossdock inspect`
// (inspectImage) and `crossdock tags` (RegistryClient.listTags).
export type { AccessCheck } from "./registry/check-access.js";
export { RegistryClient, type RegistryClientOptions } from "./registry/client.js";
export {
  type Credential,
  CredentialConfigError,
  CredentialHelperError,
  type CredentialSource,
  type CredentialSourceOptions,
  createCredentialSource,
} from "./registry/credentials/index.js";
export {
  DigestMismatchError,
  RegistryError,
  type RegistryErrorDetail,
  type RegistryErrorInit,
  SizeMismatchError,
} from "./registry/errors.js";
export {
  type ImageSummary as InspectedImage,
  inspectImage,
  type PlatformSummary,
} from "./registry/inspect-image.js";
export type { RateLimitState } from "./registry/rate-limit.js";
export type { HostStats, RequestStats, StatName } from "./registry/stats.js";
export type {
  BlobReader,
  FetchedManifest,
  GetBlobOptions,
  ListOptions,
  ManifestInfo,
  PushBlobOptions,
  ReferrersOptions,
} from "./registry/types.js";
// Rewrite: the edits, journal and errors that rewriteProject reports and throws.
export { FileChangedError, NotUtf8Error, type ReadFile, type Splice } from "./rewrite/apply.js";
export type { RewritePlan } from "./rewrite/plan.js";
export type { PreparedRewrite, RewriteOutcome } from "./rewrite/rewrite-repository.js";
export type { Attention, Edit, JournalEntry } from "./rewrite/types.js";
// Scan: every image reference in a repository; `crossdock scan` (scanRepository).
export type { CategoryOverride, CategoryOverrides } from "./scan/categorize.js";
export type { TextEncoding } from "./scan/decode.js";
export { type ScanOptions, scanRepository } from "./scan/scan-repository.js";
export type {
  Escaping,
  Field,
  FieldRole,
  Finding,
  Form,
  ImageSummary,
  Login,
  Occurrence,
  Owner,
  Problem,
  ReferenceKind,
  Role,
  ScanResult,
  SkippedDirectory,
  Usage,
} from "./scan/types.js";
// Serve: the built-in registry; `crossdock serve` (startRegistryServer).
export type { AccessEntry } from "./serve/access-log.js";
export { ErrorCodeStatus, type RegistryErrorCode, ServeError } from "./serve/errors.js";
export type { ConnectionLimits, PullLimit, ServeAuth, ServeOptions, ServeUser } from "./serve/options.js";
export { type RunningRegistry, startRegistryServer } from "./serve/server.js";
export { OciLayoutError, type OciLayoutErrorCode } from "./store/layout-errors.js";
// Store: where images live (a registry, an OCI layout or archive) behind one Repository.
export type { LayoutIndex, LayoutIndexDocument } from "./store/layout-index.js";
export { type Location, parseLocation } from "./store/locations.js";
export {
  type OciArchiveRepository,
  type OpenOciArchiveOptions,
  openOciArchive,
} from "./store/oci-archive.js";
export { type OciLayoutRepository, type OpenOciLayoutOptions, openOciLayout } from "./store/oci-layout.js";
export { type OpenedLocation, openLocation, openLocationPair } from "./store/open-repository.js";
export type { RepositorySet } from "./store/repository-set.js";
export type { SyncEndpoint } from "./store/sync-endpoint.js";
export type { Repository } from "./store/types.js";
export { defaultUnpackLimits, type UnpackLimits } from "./store/unpack-archive.js";
// Verify: what verifyRepository returns.
export type { PushDestination, SkippedReferences } from "./verify/pairs.js";
export type { VerifyItem, VerifyResult, VerifyStatus } from "./verify/types.js";

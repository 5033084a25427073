/** `crossdock demo` as a library: the embedded registries, the seeded project, the sample repository, the run. */
export { diffSampleRepo, type FileChange } from "./diff-summary.js";
export { type DemoVerdict, judgeMigration, type MigrationFacts } from "./expectations.js";
export { demoIntro, formatDiffSummary, formatVerdict, formatWhere } from "./explain.js";
export { type DemoRegistries, demoGhcrUser, demoPullLimit, startDemoRegistries } from "./registries.js";
export { type DemoOptions, type DemoOutcome, runDemo } from "./run-demo.js";
export {
  demoTargets,
  type SampleRepoHosts,
  sampleRepoFiles,
  unpublishedFile,
  unpublishedImage,
  writeSampleRepo,
} from "./sample-repo.js";
export { buildDemoImages, type DemoImage, demoImages, type SeedResult, seedHub, signedTag } from "./seed.js";

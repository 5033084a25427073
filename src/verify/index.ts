/** Verify: prove that the references a migration covers resolve on the target, to the same images, for anyone. */
export * from "./attachments.js";
export type { RecordedImage } from "./check-pair.js";
export * from "./pairs.js";
export * from "./platforms.js";
export * from "./status.js";
export * from "./verify.js";
export * from "./visibility.js";

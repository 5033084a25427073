/** Scan: find every image reference in a repository, in every kind of file, with its exact place. */
export * from "./categorize.js";
export * from "./crossdock-files.js";
export * from "./detect.js";
export { decodeEscaped } from "./engine/embed.js";
export * from "./scan-repository.js";
export * from "./scan-text.js";
export * from "./types.js";
export * from "./walk.js";

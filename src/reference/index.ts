/** The image-reference grammar and mapping rules: pure functions, no I/O. */
export * from "./errors.js";
export * from "./manifest-reference.js";
export * from "./mapping.js";
export * from "./reference.js";

/** Rewrite: splice mapped references into their exact spans, atomically, with a journal to undo. */
export * from "./apply.js";
export * from "./escape.js";
export * from "./plan.js";
export * from "./rewrite-repository.js";
export * from "./types.js";

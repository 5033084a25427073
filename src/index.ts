/** crossdock's library API: every CLI command is a call into these layers. */
export * from "./copy/index.js";
export * from "./errors.js";
export * from "./migrate/index.js";
export * from "./reference/index.js";
export * from "./registry/index.js";
export * from "./rewrite/index.js";
export * from "./scan/index.js";
export * from "./serve/index.js";
export * from "./store/index.js";
export * from "./verify/index.js";

/** crossdock's library API: every CLI command is a call into these layers. */
export * from "./errors.js";
export * from "./reference/index.js";

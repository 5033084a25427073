/** The built-in registry of `crossdock serve`, as a library. */
export type { AccessEntry } from "./access-log.js";
export { formatAccessLine } from "./access-log.js";
export { matchesRepositoryPattern, parseAuthFile, readAuthFile } from "./auth-file.js";
export { ErrorCodeStatus, type RegistryErrorCode, ServeError } from "./errors.js";
export type { PullLimit, ServeAuth, ServeOptions, ServeUser } from "./options.js";
export { parseAddress, parsePullLimit } from "./options.js";
export { type RunningRegistry, startRegistryServer } from "./server.js";

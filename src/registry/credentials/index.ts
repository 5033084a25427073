/** Registry credentials: where the auth handshake gets a user's secret for a host. */
export { type CredentialSourceOptions, createCredentialSource } from "./credential-source.js";
export { CredentialConfigError, CredentialHelperError } from "./errors.js";
export { describeCredential } from "./redact.js";
export { dockerHubHost, dockerHubServerUrl, envHostKey, normalizeRegistryHost } from "./registry-host.js";
export type { Credential, CredentialSource } from "./types.js";

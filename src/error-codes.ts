/**
 * Every `code` a crossdock error carries, with what it means: the one table, mirrored in the
 * README's "Error codes" section (a test holds the two equal and checks that every code here is
 * used in src/). Codes are stable: scripts and library users match on them, never on messages.
 * Where a code is the distribution spec's, it means what the spec says.
 * https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#error-codes
 */
export const errorCodes = {
  // Bad input (UsageError): the CLI exits 2 and touches nothing.
  USAGE: "bad usage: a flag, argument or value the command cannot take",
  INVALID_REFERENCE: "not a valid image reference, tag, digest or mapping rule",
  INVALID_LOCATION:
    "not a valid copy location (`REF`, `docker://REF`, `oci:DIR[:TAG]`, `oci-archive:FILE[:TAG]`)",
  INVALID_TAG: "a tag outside the tag grammar, given for an OCI layout",
  NOT_A_LAYOUT: "a directory that is not an OCI image layout",
  NOT_AN_ARCHIVE: "a file that is not a readable OCI archive (tar)",
  ARCHIVE_TOO_LARGE: "an archive past an unpacking limit (size ratio, entries, bytes)",
  CONFIG_INVALID: "`crossdock.yaml` has errors (each names file, line and field)",
  CONFIG_UNREADABLE: "`crossdock.yaml` cannot be read",
  CONFIG_AMBIGUOUS: "both `crossdock.yaml` and `crossdock.yml` exist",
  CONFIG_EXISTS: "`init` found a configuration already there",
  INIT_NO_DIRECTORY: "`init` was pointed at something that is not a directory",
  WORKFLOW_INVALID:
    "a GitHub Actions workflow `ci github` would patch is not valid YAML (file and line named)",
  CREDENTIAL_CONFIG: "a credential store is malformed (docker config, auth file, half a pair of variables)",
  // A registry answered with an error or could not be reached (RegistryError). A 404 carries the
  // code of what was asked for; other statuses the body's first code, else one from the status.
  UNAUTHORIZED: "the registry (or its token server) wants credentials, or refused them (401)",
  DENIED: "the credentials lack access (403)",
  TOOMANYREQUESTS: "the registry's rate limit (429); temporary",
  UNSUPPORTED: "the registry does not support the operation (405), or `/v2/` is not a registry",
  BAD_REQUEST: "a 400 without a code in its body",
  RANGE_INVALID: "the registry refused a byte range (416)",
  REGISTRY_UNAVAILABLE: "a 5xx without a code in its body; temporary",
  HTTP_status: "any other status without a code in its body (`HTTP_409`)",
  NAME_UNKNOWN: "no such repository",
  NAME_INVALID: "the registry refused the repository name",
  MANIFEST_UNKNOWN: "no such manifest (tag or digest)",
  MANIFEST_INVALID: "a manifest refused: malformed, or not what its digest or media type says",
  MANIFEST_BLOB_UNKNOWN: "a manifest names a blob the repository lacks",
  BLOB_UNKNOWN: "no such blob",
  BLOB_UPLOAD_UNKNOWN: "the registry lost an upload in progress",
  BLOB_UPLOAD_INVALID: "the registry refused an upload",
  BLOB_INTERRUPTED: "a blob download broke off and could not be resumed; temporary",
  DIGEST_INVALID: "content does not match its digest, or a malformed digest",
  SIZE_INVALID: "content does not match its declared size",
  TAG_INVALID: "`crossdock serve`: a tag outside the tag grammar",
  UNKNOWN: "`crossdock serve`: an internal error, answered as a 500",
  UNREACHABLE:
    "the registry could not be reached, or the connection broke or went quiet; temporary when a retry may help",
  INVALID_RESPONSE:
    "the registry answered with something the spec does not allow (a tag list that is not JSON)",
  TOO_MANY_REDIRECTS: "the registry redirected too many times",
  AUTH_FAILED: "the token server failed or sent no token",
  AUTH_CHALLENGE: "the registry's auth challenge names no usable token realm",
  INSECURE_CREDENTIALS:
    "credentials would go as basic auth over plain HTTP to a host not on loopback: refused",
  // Content and copies.
  BAD_MANIFEST: "manifest bytes that cannot be parsed or copied (not JSON, Docker schema 1)",
  DIGEST_MISMATCH: "bytes read do not hash to the digest they were asked for by",
  SIZE_MISMATCH: "a blob's byte count differs from its descriptor's size",
  IMAGE_NOT_FOUND: "the source has no such tag or digest",
  NO_MATCHING_PLATFORM: "an index has none of the platforms asked for (`--platform`)",
  LAYOUT_INVALID: "an OCI layout's `index.json` cannot be read or is not an image index",
  LAYOUT_LOCKED: "another process holds the OCI layout's index lock",
  LAYOUT_CLOSED: "an OCI archive was used after it was closed",
  PULL_BUDGET_EXHAUSTED: "`--max-wait` passed before the source's pull budget came back; rerun to continue",
  DOCKER_HUB_LIST: "Docker Hub's repository listing failed (name the repositories with `--repos`)",
  CREDENTIAL_HELPER: "a `docker-credential-*` helper is missing, failed, or answered outside the protocol",
  // Files.
  FILE_CHANGED: "a file changed since it was scanned: not rewritten",
  NOT_UTF8: "a file that is not UTF-8 (nor UTF-16 with a BOM): not rewritten",
  OVERLAPPING_EDITS: "two edits of the same bytes (a bug: report it)",
  // The run.
  INTERRUPTED: "stopped by SIGINT or SIGTERM (exit 130); rerun to continue",
  UNEXPECTED: "an error crossdock did not make itself (a Node.js or library error): the message says what",
} as const;

/**
 * A code of the table. `HTTP_<status>` stands for every status a registry answers without a code
 * in its body; a registry's own code outside the spec is kept as it sent it (see RegistryError).
 */
export type ErrorCode = Exclude<keyof typeof errorCodes, "HTTP_status"> | `HTTP_${number}`;

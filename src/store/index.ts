/** Where images live, behind one Repository interface: registries, OCI layouts, OCI archives. */

export * from "./layout-directory.js";
export * from "./locations.js";
export * from "./oci-archive.js";
export * from "./oci-format.js";
export * from "./oci-layout.js";
export * from "./open-repository.js";
export * from "./registry-namespace.js";
export * from "./registry-repository.js";
export type { RepositorySet } from "./repository-set.js";
export * from "./sync-endpoint.js";
export type { Repository } from "./types.js";
export { defaultUnpackLimits, type UnpackLimits } from "./unpack-archive.js";

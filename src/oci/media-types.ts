/**
 * Media types of the OCI image spec and Docker's image manifest v2.
 * https://github.com/opencontainers/image-spec/blob/main/media-types.md
 */
export const MediaType = {
  ociIndex: "application/vnd.oci.image.index.v1+json",
  ociManifest: "application/vnd.oci.image.manifest.v1+json",
  ociConfig: "application/vnd.oci.image.config.v1+json",
  ociEmpty: "application/vnd.oci.empty.v1+json",
  ociLayer: "application/vnd.oci.image.layer.v1.tar",
  ociLayerGzip: "application/vnd.oci.image.layer.v1.tar+gzip",
  ociLayerZstd: "application/vnd.oci.image.layer.v1.tar+zstd",
  ociLayerNondistributable: "application/vnd.oci.image.layer.nondistributable.v1.tar",
  ociLayerNondistributableGzip: "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
  ociLayerNondistributableZstd: "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
  dockerManifestList: "application/vnd.docker.distribution.manifest.list.v2+json",
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  dockerConfig: "application/vnd.docker.container.image.v1+json",
  dockerLayerGzip: "application/vnd.docker.image.rootfs.diff.tar.gzip",
  dockerForeignLayer: "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
  dockerSchema1: "application/vnd.docker.distribution.manifest.v1+json",
  dockerSchema1Signed: "application/vnd.docker.distribution.manifest.v1+prettyjws",
} as const;

/** The manifest media types crossdock asks for, in the Accept header of every manifest request. */
export const manifestAccept: readonly string[] = [
  MediaType.ociIndex,
  MediaType.ociManifest,
  MediaType.dockerManifestList,
  MediaType.dockerManifest,
];

/** Whether a media type is an index (OCI image index or Docker manifest list). */
export function isIndexMediaType(mediaType: string): boolean {
  return mediaType === MediaType.ociIndex || mediaType === MediaType.dockerManifestList;
}

/** Whether a media type is a single-image manifest (OCI or Docker v2). */
export function isImageManifestMediaType(mediaType: string): boolean {
  return mediaType === MediaType.ociManifest || mediaType === MediaType.dockerManifest;
}

/** Whether a media type is Docker's schema 1, which cannot be copied byte for byte. */
export function isSchema1MediaType(mediaType: string): boolean {
  return mediaType === MediaType.dockerSchema1 || mediaType === MediaType.dockerSchema1Signed;
}

/**
 * Whether a layer is non-distributable ("foreign"): the spec says registries and clients
 * need not copy it. https://github.com/opencontainers/image-spec/blob/main/layer.md#non-distributable-layers
 */
export function isNondistributableMediaType(mediaType: string): boolean {
  return (
    mediaType === MediaType.dockerForeignLayer ||
    mediaType.startsWith("application/vnd.oci.image.layer.nondistributable.")
  );
}

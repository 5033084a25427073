import { isDockerMediaType } from "../oci/convert-to-oci.js";

/**
 * The note crossdock prints when it wrote an image with Docker media types into an OCI layout or
 * archive, byte for byte (the default: digests stay the same). Readers differ on such layouts:
 * - containers/image as skopeo 1.9 (Debian 12) and podman/buildah of its age carry it looks tags up
 *   only among index.json entries of OCI media types, and fails with `no descriptor found for
 *   reference`: https://github.com/containers/image/blob/main/oci/layout/oci_transport.go
 * - its current code, go.podman.io/image v5 in containers/container-libs, also takes Docker schema 2
 *   manifests and manifest lists (anything else is "unsupported manifest MIME types"):
 *   https://github.com/containers/container-libs/blob/main/image/oci/layout/oci_transport.go
 * - go-containerregistry (crane, ko) and oras take any media type: `MediaType.IsIndex()` counts
 *   Docker's manifest list: https://github.com/google/go-containerregistry/blob/main/pkg/v1/types/types.go
 * Returns undefined for an image with OCI media types.
 */
export function noteDockerMediaTypes(mediaType: string, location: string): string | undefined {
  if (!isDockerMediaType(mediaType)) return undefined;
  return `${location} holds the image with Docker media types (${mediaType}), byte for byte: crane, oras and current containers/image read it by tag; skopeo 1.9 and podman/buildah of its age do not ("no descriptor found for reference"). --format oci converts it (the digest changes).`;
}

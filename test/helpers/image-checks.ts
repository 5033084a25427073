import { MediaType } from "../../src/oci/media-types.js";

const manifestTypes = [
  MediaType.ociIndex,
  MediaType.ociManifest,
  MediaType.dockerManifestList,
  MediaType.dockerManifest,
].join(", ");

/**
 * Whether the image a tag names is whole on the registry: its manifest, every child manifest and
 * every blob they name are there. Asked with plain fetch, not crossdock's client.
 */
export async function isComplete(
  registryUrl: string,
  repository: string,
  reference: string,
): Promise<boolean> {
  const res = await fetch(`${registryUrl}/v2/${repository}/manifests/${reference}`, {
    headers: { accept: manifestTypes },
  });
  if (res.status !== 200) return false;
  const manifest = (await res.json()) as {
    manifests?: { digest: string }[];
    config?: { digest: string };
    layers?: { digest: string }[];
  };
  for (const child of manifest.manifests ?? []) {
    if (!(await isComplete(registryUrl, repository, child.digest))) return false;
  }
  for (const blob of [...(manifest.config ? [manifest.config] : []), ...(manifest.layers ?? [])]) {
    const head = await fetch(`${registryUrl}/v2/${repository}/blobs/${blob.digest}`, { method: "HEAD" });
    if (head.status !== 200) return false;
  }
  return true;
}

/** The tags of a repository on a registry, sorted (none when it does not exist). Plain fetch. */
export async function listTags(registryUrl: string, repository: string): Promise<string[]> {
  const res = await fetch(`${registryUrl}/v2/${repository}/tags/list`);
  if (res.status === 404) return [];
  return (((await res.json()) as { tags?: string[] | null }).tags ?? []).sort();
}

import type { SyntheticImage } from "../../src/oci/synthetic.js";

/**
 * Pushes a synthetic image to a registry with plain fetch (monolithic POST+PUT uploads, then
 * manifests children first, the root under `tag`). Independent of crossdock's client, so tests
 * of the client do not seed with the code under test. `authorization` is sent as is.
 */
export async function seedImage(
  registryUrl: string,
  repository: string,
  image: SyntheticImage,
  tag: string | undefined,
  authorization?: string,
): Promise<void> {
  const headers: Record<string, string> = authorization ? { authorization } : {};
  for (const blob of image.blobs) {
    const head = await fetch(`${registryUrl}/v2/${repository}/blobs/${blob.digest}`, {
      method: "HEAD",
      headers,
    });
    if (head.status === 200) continue;
    const start = await fetch(`${registryUrl}/v2/${repository}/blobs/uploads/`, { method: "POST", headers });
    await start.arrayBuffer();
    if (start.status !== 202) throw new Error(`seed: POST upload answered ${start.status}`);
    const location = new URL(start.headers.get("location") ?? "", registryUrl);
    location.searchParams.set("digest", blob.digest);
    const put = await fetch(location, {
      method: "PUT",
      headers: { ...headers, "content-type": "application/octet-stream" },
      body: blob.bytes,
    });
    await put.arrayBuffer();
    if (put.status !== 201) throw new Error(`seed: PUT blob answered ${put.status}`);
  }
  for (const manifest of image.manifests) {
    const isRoot = manifest === image.root;
    const target = isRoot && tag !== undefined ? tag : manifest.digest;
    const put = await fetch(`${registryUrl}/v2/${repository}/manifests/${target}`, {
      method: "PUT",
      headers: { ...headers, "content-type": manifest.mediaType },
      body: manifest.bytes,
    });
    const text = await put.text();
    if (put.status !== 201) throw new Error(`seed: PUT manifest answered ${put.status}: ${text}`);
  }
}

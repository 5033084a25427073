import { UsageError } from "../errors.js";
import { formatReference, parseReference, type Reference } from "../reference/reference.js";
import type { RegistryClient } from "../registry/client.js";

/**
 * The image a generated runner runs, pinned by digest: `REPO@sha256:...` as given (no request);
 * `REPO:TAG`, or `REPO` alone for the tag of this crossdock's version (what the release workflow
 * pushes), resolved with one HEAD into `REPO:TAG@sha256:...`. A floating tag is never written: an
 * image that cannot be resolved is a UsageError saying to give the digest.
 */
export async function pinImage(
  client: RegistryClient,
  image: string,
  version: string,
  signal?: AbortSignal,
): Promise<string> {
  let ref: Reference;
  try {
    ref = parseReference(image);
  } catch (error) {
    throw new UsageError(`--image ${image}: ${(error as Error).message}`, { cause: error });
  }
  if (ref.digest !== undefined) return formatReference(ref);
  const tagged = { ...ref, tag: ref.tag ?? version };
  const named = formatReference(tagged);
  const found = await client.headManifest(tagged, signal).catch((error: unknown) => {
    throw new UsageError(
      `--image ${named}: cannot resolve it to a digest (${(error as Error).message}); give --image REPO@sha256:...`,
      { cause: error },
    );
  });
  if (found === undefined)
    throw new UsageError(
      `--image ${named}: no such image; give --image REPO@sha256:... (a tag is never pinned)`,
    );
  return `${named}@${found.digest}`;
}

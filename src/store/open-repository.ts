import { parseReference, type Reference } from "../reference/reference.js";
import type { RegistryClient } from "../registry/client.js";
import { parseLocation } from "./locations.js";
import { openOciArchive } from "./oci-archive.js";
import { openOciLayout } from "./oci-layout.js";
import { RegistryRepository } from "./registry-repository.js";
import type { Repository } from "./types.js";

/** A store location opened: the repository and the tag or digest it names (if any). */
export interface OpenedLocation {
  readonly repository: Repository;
  readonly reference?: string;
  /** The parsed registry reference, for registry locations. */
  readonly registryRef?: Reference;
}

/**
 * Opens `docker://REF`/`REF`, `oci:PATH[:TAG]` or `oci-archive:PATH.tar[:TAG]` (skopeo's spelling)
 * as a Repository. `forWriting` creates a layout or archive that does not exist yet.
 */
export async function openLocation(
  client: RegistryClient,
  input: string,
  forWriting: boolean,
): Promise<OpenedLocation> {
  const location = parseLocation(input);
  if (location.kind === "registry") {
    const ref = parseReference(location.reference);
    const reference = ref.digest ?? ref.tag;
    return {
      repository: new RegistryRepository(client, ref),
      registryRef: ref,
      ...(reference ? { reference } : {}),
    };
  }
  const repository =
    location.kind === "oci"
      ? await openOciLayout(location.path, { create: forWriting })
      : await openOciArchive(location.path, { create: forWriting });
  return { repository, ...(location.reference ? { reference: location.reference } : {}) };
}

/**
 * Opens a copy's source (to read) and target (to write). When the target cannot be opened, the
 * source is closed again before the error is rethrown, so an unpacked archive is never left behind.
 */
export async function openLocationPair(
  client: RegistryClient,
  source: string,
  target: string,
): Promise<{ source: OpenedLocation; target: OpenedLocation }> {
  const from = await openLocation(client, source, false);
  try {
    return { source: from, target: await openLocation(client, target, true) };
  } catch (error) {
    await from.repository.close?.();
    throw error;
  }
}

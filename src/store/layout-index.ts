import { open, readFile, rm, stat } from "node:fs/promises";
import path from "node:path";
import { tempNamePrefix, writeFileAtomically } from "../files/atomic-write.js";
import { isDeadOwner, ownerTag } from "../files/stale-temp-files.js";
import type { Descriptor } from "../oci/manifest.js";
import { MediaType } from "../oci/media-types.js";
import { OciLayoutError } from "./layout-errors.js";

/**
 * The annotation that names a tag in a layout's index.json, as skopeo (containers/image) writes
 * and reads it. https://github.com/opencontainers/image-spec/blob/main/annotations.md#pre-defined-annotation-keys
 */
export const refNameAnnotation = "org.opencontainers.image.ref.name";

/** index.json as read: an image index, with any fields crossdock does not know kept as they are. */
export interface LayoutIndexDocument {
  readonly schemaVersion: number;
  readonly manifests: readonly Descriptor[];
  readonly [field: string]: unknown;
}

/** What a new layout's index.json holds. https://github.com/opencontainers/image-spec/blob/main/image-layout.md#indexjson-file */
export const emptyIndex: LayoutIndexDocument = {
  schemaVersion: 2,
  mediaType: MediaType.ociIndex,
  manifests: [],
};

/** A lock older than this was left by a process that died: an index update takes milliseconds. */
const staleLockMs = 10_000;
/** How long to wait for another process's index update before giving up. */
const lockTimeoutMs = 30_000;

/**
 * A layout's index.json: read fresh on every lookup (another process may have written it), and
 * updated by read-modify-write that is serialized twice: in this process by a promise queue (many
 * copies run at once), and across processes and repository objects by an exclusive lock file.
 * Each update replaces the file atomically (temporary file and rename).
 * https://github.com/opencontainers/image-spec/blob/main/image-layout.md#indexjson-file
 */
export class LayoutIndex {
  readonly #file: string;
  readonly #lockFile: string;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(root: string) {
    this.#file = path.join(root, "index.json");
    this.#lockFile = path.join(root, `${tempNamePrefix}index.lock`);
  }

  /** Reads and checks index.json. */
  async read(): Promise<LayoutIndexDocument> {
    let text: string;
    try {
      text = await readFile(this.#file, "utf8");
    } catch (error) {
      throw new OciLayoutError("LAYOUT_INVALID", `${this.#file}: cannot read the layout's index`, {
        cause: error,
      });
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw new OciLayoutError("LAYOUT_INVALID", `${this.#file} is not valid JSON`, { cause: error });
    }
    if (!isIndexDocument(body)) {
      throw new OciLayoutError(
        "LAYOUT_INVALID",
        `${this.#file} is not an image index (schemaVersion 2 with manifests)`,
      );
    }
    return body;
  }

  /** The entry tagged `tag` (the last one, should a foreign writer have left two). */
  async findTag(tag: string): Promise<Descriptor | undefined> {
    return (await this.read()).manifests.findLast((d) => d.annotations?.[refNameAnnotation] === tag);
  }

  /** An entry for `digest`, tagged or not. */
  async findDigest(digest: string): Promise<Descriptor | undefined> {
    return (await this.read()).manifests.find((d) => d.digest === digest);
  }

  /** The tags, sorted and without duplicates. */
  async tags(): Promise<string[]> {
    const names = (await this.read()).manifests.map((d) => d.annotations?.[refNameAnnotation]);
    return [...new Set(names.filter((n): n is string => n !== undefined))].sort();
  }

  /**
   * Points `tag` at `descriptor`: replaces the entries with that tag in place (the first keeps its
   * position, as containers/image's addManifest does) or appends one.
   */
  setTag(tag: string, descriptor: Descriptor): Promise<void> {
    const entry: Descriptor = {
      ...descriptor,
      annotations: { ...descriptor.annotations, [refNameAnnotation]: tag },
    };
    return this.#update((manifests) => {
      const at = manifests.findIndex((d) => d.annotations?.[refNameAnnotation] === tag);
      if (at < 0) return [...manifests, entry];
      return manifests.flatMap((d, i) =>
        i === at ? [entry] : d.annotations?.[refNameAnnotation] === tag ? [] : [d],
      );
    });
  }

  /**
   * Lists `descriptor` without a tag, unless index.json names its digest already: how an image
   * copied by digest is found by readers that start from index.json (skopeo's `oci:DIR`).
   */
  addUntagged(descriptor: Descriptor): Promise<void> {
    return this.#update((manifests) =>
      manifests.some((d) => d.digest === descriptor.digest) ? [...manifests] : [...manifests, descriptor],
    );
  }

  /** Writes a new, empty index.json (for a new layout). */
  async create(): Promise<void> {
    await writeFileAtomically(this.#file, Buffer.from(JSON.stringify(emptyIndex)));
  }

  /** Removes the lock a killed process left (it names a process of this machine that no longer runs). */
  async removeDeadLock(): Promise<void> {
    const owner = await readFile(this.#lockFile, "utf8").catch(() => "");
    if (isDeadOwner(owner)) await rm(this.#lockFile, { force: true }).catch(() => undefined);
  }

  /** Resolves when every update queued so far has finished. */
  async idle(): Promise<void> {
    await this.#queue.catch(() => {});
  }

  #update(change: (manifests: readonly Descriptor[]) => Descriptor[]): Promise<void> {
    const run = async (): Promise<void> => {
      await this.#lock();
      try {
        const current = await this.read();
        const next = { ...current, manifests: change(current.manifests) };
        await writeFileAtomically(this.#file, Buffer.from(JSON.stringify(next)));
      } finally {
        await rm(this.#lockFile, { force: true });
      }
    };
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => {});
    return result;
  }

  async #lock(): Promise<void> {
    const deadline = Date.now() + lockTimeoutMs;
    for (;;) {
      try {
        const handle = await open(this.#lockFile, "wx");
        await handle.writeFile(ownerTag()).finally(() => handle.close());
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const since = await stat(this.#lockFile).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      // A holder killed mid-update (kill -9) never lets go: its lock is broken at once, not after the wait.
      const owner = await readFile(this.#lockFile, "utf8").catch(() => "");
      if (since > staleLockMs || isDeadOwner(owner)) {
        await rm(this.#lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new OciLayoutError(
          "LAYOUT_LOCKED",
          `${this.#lockFile}: another process holds the layout's index lock`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

function isIndexDocument(value: unknown): value is LayoutIndexDocument {
  if (typeof value !== "object" || value === null) return false;
  const body = value as Record<string, unknown>;
  return (
    body["schemaVersion"] === 2 &&
    Array.isArray(body["manifests"]) &&
    body["manifests"].every(
      (d: unknown) =>
        typeof d === "object" &&
        d !== null &&
        typeof (d as Record<string, unknown>)["digest"] === "string" &&
        typeof (d as Record<string, unknown>)["mediaType"] === "string" &&
        typeof (d as Record<string, unknown>)["size"] === "number",
    )
  );
}

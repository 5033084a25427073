import { mkdir, readdir, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { create } from "tar";
import { UsageError } from "../errors.js";
import { tempNamePrefix, tempPathIn, writeFileAtomically } from "../files/atomic-write.js";
import { removeStaleTempFiles } from "../files/stale-temp-files.js";
import type { Descriptor } from "../oci/manifest.js";
import type { ManifestReference } from "../reference/manifest-reference.js";
import { OciLayoutError } from "./layout-errors.js";
import { type OciLayoutRepository, openOciLayout } from "./oci-layout.js";
import type { BlobReader, FetchedManifest, ManifestInfo, Repository } from "./types.js";
import { type UnpackLimits, unpackArchive } from "./unpack-archive.js";

/** Options of openOciArchive. */
export interface OpenOciArchiveOptions {
  /** Start a new archive when `tarPath` does not exist (a copy's target); otherwise refuse. */
  readonly create: boolean;
  /**
   * Where to unpack the archive; default os.tmpdir(). It needs room for the whole archive. What a
   * killed run left there is removed when the next archive is opened.
   */
  readonly tempDir?: string;
  /** How far the archive may expand; default defaultUnpackLimits. */
  readonly limits?: UnpackLimits;
}

/**
 * Opens an OCI layout in a tar archive (skopeo's `oci-archive:` transport): an existing archive is
 * unpacked into a temporary directory (regular files and directories only, no path leaves it) and
 * worked on as a layout; close() packs it again when anything changed and removes the directory.
 * https://github.com/opencontainers/image-spec/blob/main/image-layout.md
 */
export async function openOciArchive(
  tarPath: string,
  options: OpenOciArchiveOptions,
): Promise<OciArchiveRepository> {
  const file = path.resolve(tarPath);
  const info = await stat(file).catch(() => undefined);
  if (info?.isDirectory())
    throw new UsageError(`${tarPath} is a directory, not an OCI archive (use oci:${tarPath})`);
  if (info === undefined) {
    if (!options.create) throw new UsageError(`${tarPath}: no such OCI archive`, { code: "NOT_AN_ARCHIVE" });
    const parent = await stat(path.dirname(file)).catch(() => undefined);
    if (!parent?.isDirectory())
      throw new UsageError(`${tarPath}: the directory to write the archive in does not exist`);
  }
  const tempDir = options.tempDir ?? os.tmpdir();
  // A run killed while unpacking or packing left its copy here, or its half-written archive there.
  await removeStaleTempFiles(tempDir);
  await removeStaleTempFiles(path.dirname(file));
  const work = tempPathIn(tempDir);
  await mkdir(work, { mode: 0o700 });
  try {
    if (info !== undefined) {
      await unpackArchive(file, work, tarPath, options.limits);
      const layout = await openOciLayout(work, { create: false }).catch((error: unknown) => {
        throw new UsageError(`${tarPath} is not an OCI archive: ${(error as Error).message}`, {
          code: "NOT_AN_ARCHIVE",
          cause: error,
        });
      });
      return new OciArchiveRepository(tarPath, file, work, layout);
    }
    return new OciArchiveRepository(tarPath, file, work, await openOciLayout(work, { create: true }));
  } catch (error) {
    await rm(work, { recursive: true, force: true });
    throw error;
  }
}

/**
 * An OCI archive as a Repository: an OciLayoutRepository over the unpacked archive, which notes
 * whether anything was written. close() must be called: it writes the archive (temporary file and
 * rename, so the old archive stays whole until the new one is complete) and removes the unpacked copy.
 */
export class OciArchiveRepository implements Repository {
  readonly location: string;
  readonly storageKey: string;
  /** The archive's absolute path. */
  readonly file: string;
  readonly #work: string;
  readonly #layout: OciLayoutRepository;
  #changed = false;
  #closing: Promise<void> | undefined;

  /** Use openOciArchive, which unpacks or creates the layout first. */
  constructor(tarPath: string, file: string, work: string, layout: OciLayoutRepository) {
    this.location = `oci-archive:${tarPath}`;
    this.storageKey = `oci-archive:${file}`;
    this.file = file;
    this.#work = work;
    this.#layout = layout;
  }

  async headManifest(reference: ManifestReference, signal?: AbortSignal): Promise<ManifestInfo | undefined> {
    return await this.#open().headManifest(reference, signal);
  }

  async getManifest(reference: ManifestReference, signal?: AbortSignal): Promise<FetchedManifest> {
    return await this.#open().getManifest(reference, signal);
  }

  async putManifest(
    reference: ManifestReference,
    bytes: Uint8Array,
    mediaType: string,
    signal?: AbortSignal,
  ): Promise<void> {
    await this.#open().putManifest(reference, bytes, mediaType, signal);
    this.#changed = true;
  }

  /** Lists a manifest in the archive's index.json without a tag (see OciLayoutRepository.listUntagged). */
  async listUntagged(digest: string, signal?: AbortSignal): Promise<void> {
    await this.#open().listUntagged(digest, signal);
    this.#changed = true;
  }

  async headBlob(digest: string, signal?: AbortSignal): Promise<number | undefined> {
    return await this.#open().headBlob(digest, signal);
  }

  async getBlob(digest: string, expectedSize: number, signal?: AbortSignal): Promise<BlobReader> {
    return await this.#open().getBlob(digest, expectedSize, signal);
  }

  async pushBlob(digest: string, size: number, body: Readable, signal?: AbortSignal): Promise<void> {
    await this.#open().pushBlob(digest, size, body, signal);
    this.#changed = true;
  }

  /** True exactly when the archive already holds the blob (one blob store per archive). */
  async mountBlob(digest: string, from: Repository, signal?: AbortSignal): Promise<boolean> {
    return await this.#open().mountBlob(digest, from, signal);
  }

  async listTags(signal?: AbortSignal): Promise<string[]> {
    return await this.#open().listTags(signal);
  }

  /** An archive has no referrers API: callers fall back to the `sha256-<hex>` tag. */
  async referrers(_digest: string, _signal?: AbortSignal): Promise<Descriptor[] | undefined> {
    return undefined;
  }

  /** Writes the archive if anything changed, then removes the unpacked copy. Safe to call twice. */
  close(): Promise<void> {
    this.#closing ??= this.#pack();
    return this.#closing;
  }

  #open(): OciLayoutRepository {
    if (this.#closing !== undefined) throw new OciLayoutError("LAYOUT_CLOSED", `${this.location} is closed`);
    return this.#layout;
  }

  async #pack(): Promise<void> {
    try {
      await this.#layout.close();
      if (!this.#changed) return;
      const entries = (await readdir(this.#work)).filter((name) => !name.startsWith(tempNamePrefix));
      const first = ["oci-layout", "index.json"];
      entries.sort((a, b) => rank(first, a) - rank(first, b) || (a < b ? -1 : a > b ? 1 : 0));
      const packed = create(
        {
          cwd: this.#work,
          portable: true,
          filter: (entryPath: string) => !path.basename(entryPath).startsWith(tempNamePrefix),
        },
        entries,
      );
      await writeFileAtomically(this.file, [packed]);
    } finally {
      await rm(this.#work, { recursive: true, force: true });
    }
  }
}

function rank(first: readonly string[], name: string): number {
  const at = first.indexOf(name);
  return at < 0 ? first.length : at;
}

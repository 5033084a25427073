import { randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, readdir, readFile, rm, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { commitTempFile, writeFileAtomically } from "../files/atomic-write.js";
import { ServeError } from "./errors.js";
import { hashFile } from "./hash-file.js";

/** What the registry remembers of a manifest in one repository (its bytes are a blob). */
export interface ManifestRecord {
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
  /** The manifest's `artifactType`, or its config's media type: what the referrers API reports. */
  readonly artifactType?: string;
  /** The digest its `subject` names, if any. */
  readonly subject?: string;
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * Content-addressed storage on the filesystem, laid out like distribution's:
 *
 * - `blobs/<alg>/<hex>`: blob and manifest bytes, put in place by rename only after their
 *   digest was checked, so a file there is always complete and correct;
 * - `uploads/<uuid>`: temporary files (upload sessions, small files being written); removed
 *   when the storage is opened, so what a crash left behind is never served;
 * - `repositories/<name>/_blobs/<alg>/<hex>`: the blobs a repository links (a blob pushed to
 *   one repository is not served from another unless pushed or mounted there);
 * - `repositories/<name>/_manifests/<alg>/<hex>`: a JSON ManifestRecord per manifest;
 * - `repositories/<name>/_tags/<tag>`: the digest a tag points at;
 * - `repositories/<name>/_referrers/<alg>/<hex>/<alg>-<hex>`: manifests whose subject is that digest.
 *
 * The `_` prefix cannot start a path component of a repository name, so names never collide.
 */
export class RegistryStorage {
  readonly root: string;

  private constructor(root: string) {
    this.root = root;
  }

  /** Opens (creating) the storage at `root` and discards leftover temporary files. */
  static async open(root: string): Promise<RegistryStorage> {
    const storage = new RegistryStorage(path.resolve(root));
    await rm(storage.uploadsDir, { recursive: true, force: true });
    await mkdir(storage.uploadsDir, { recursive: true });
    await mkdir(path.join(storage.root, "blobs"), { recursive: true });
    await mkdir(path.join(storage.root, "repositories"), { recursive: true });
    return storage;
  }

  /** The directory of temporary files. */
  get uploadsDir(): string {
    return path.join(this.root, "uploads");
  }

  /** A fresh temporary file name under uploads/ (the file is not created). */
  newTempPath(id: string = randomUUID()): string {
    return path.join(this.uploadsDir, id);
  }

  /** The path of a blob's bytes. The digest must have been validated (checkDigest). */
  blobPath(digest: string): string {
    const [algorithm, hex] = digest.split(":") as [string, string];
    return path.join(this.root, "blobs", algorithm, hex);
  }

  private repoDir(name: string): string {
    return path.join(this.root, "repositories", ...name.split("/"));
  }

  private linkPath(name: string, kind: "_blobs" | "_manifests", digest: string): string {
    const [algorithm, hex] = digest.split(":") as [string, string];
    return path.join(this.repoDir(name), kind, algorithm, hex);
  }

  /** The size of a blob in the store, or undefined. */
  async blobSize(digest: string): Promise<number | undefined> {
    return await sizeOf(this.blobPath(digest));
  }

  /** The size of a blob linked into a repository, or undefined when it is not linked there. */
  async repositoryBlobSize(name: string, digest: string): Promise<number | undefined> {
    if ((await sizeOf(this.linkPath(name, "_blobs", digest))) === undefined) return undefined;
    return await this.blobSize(digest);
  }

  /** Links a stored blob into a repository (push or mount). */
  async linkBlob(name: string, digest: string): Promise<void> {
    await this.writeAtomic(this.linkPath(name, "_blobs", digest), "");
  }

  /** Unlinks a blob from a repository; false when it was not linked. The bytes stay (no GC). */
  async unlinkBlob(name: string, digest: string): Promise<boolean> {
    return await removeFile(this.linkPath(name, "_blobs", digest));
  }

  /**
   * Moves a temporary file into the blob store after checking its digest; the temp file is gone
   * either way. Throws DIGEST_INVALID (storing nothing) when the content does not match. `hashed`
   * is the file's digest and size when the caller computed them while writing it (else the file
   * is read and hashed here).
   * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-blobs
   */
  async commitBlob(
    tempPath: string,
    digest: string,
    hashed?: { readonly digest: string; readonly size: number },
  ): Promise<number> {
    const actual = hashed ?? (await hashFile(tempPath, digest.slice(0, digest.indexOf(":"))));
    if (actual.digest !== digest) {
      await rm(tempPath, { force: true });
      throw new ServeError("DIGEST_INVALID", "provided digest did not match uploaded content", {
        detail: { expected: digest, actual: actual.digest },
      });
    }
    const target = this.blobPath(digest);
    if ((await sizeOf(target)) !== undefined) {
      await rm(tempPath, { force: true });
    } else {
      await commitTempFile(tempPath, target, { createDirectory: true });
    }
    return actual.size;
  }

  /** A stream of a blob's bytes (optionally a byte range, inclusive). */
  readBlob(digest: string, range?: { start: number; end: number }): NodeJS.ReadableStream {
    return createReadStream(this.blobPath(digest), range ?? {});
  }

  /** Stores manifest bytes as a blob (digest already computed by the caller) and links its record. */
  async putManifest(name: string, bytes: Uint8Array, record: ManifestRecord): Promise<void> {
    const target = this.blobPath(record.digest);
    if ((await sizeOf(target)) === undefined) await this.writeAtomic(target, bytes);
    await this.writeAtomic(this.linkPath(name, "_manifests", record.digest), JSON.stringify(record));
    if (record.subject !== undefined) {
      await this.writeAtomic(this.referrerPath(name, record.subject, record.digest), "");
    }
  }

  private referrerPath(name: string, subject: string, digest: string): string {
    const [algorithm, hex] = subject.split(":") as [string, string];
    return path.join(this.repoDir(name), "_referrers", algorithm, hex, digest.replace(":", "-"));
  }

  /** The record of a manifest linked into a repository, or undefined. */
  async manifestRecord(name: string, digest: string): Promise<ManifestRecord | undefined> {
    try {
      return JSON.parse(await readFile(this.linkPath(name, "_manifests", digest), "utf8")) as ManifestRecord;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Points a tag at a digest (written last, after the manifest it names). */
  async setTag(name: string, tag: string, digest: string): Promise<void> {
    await this.writeAtomic(path.join(this.repoDir(name), "_tags", tag), digest);
  }

  /** The digest a tag points at, or undefined. */
  async resolveTag(name: string, tag: string): Promise<string | undefined> {
    try {
      return (await readFile(path.join(this.repoDir(name), "_tags", tag), "utf8")).trim();
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** The tags of a repository, sorted; undefined when the repository does not exist. */
  async listTags(name: string): Promise<string[] | undefined> {
    if (!(await this.repositoryExists(name))) return undefined;
    return (await listDir(path.join(this.repoDir(name), "_tags"))).sort();
  }

  /** Removes a tag; false when there was none. */
  async deleteTag(name: string, tag: string): Promise<boolean> {
    return await removeFile(path.join(this.repoDir(name), "_tags", tag));
  }

  /** Unlinks a manifest from a repository with the tags that point at it and its referrer link. */
  async deleteManifest(name: string, digest: string): Promise<boolean> {
    const record = await this.manifestRecord(name, digest);
    if (record === undefined) return false;
    for (const tag of (await this.listTags(name)) ?? []) {
      if ((await this.resolveTag(name, tag)) === digest) await this.deleteTag(name, tag);
    }
    if (record.subject !== undefined) await removeFile(this.referrerPath(name, record.subject, digest));
    return await removeFile(this.linkPath(name, "_manifests", digest));
  }

  /** The records of the manifests in a repository whose subject is `digest`. */
  async listReferrers(name: string, digest: string): Promise<ManifestRecord[]> {
    const [algorithm, hex] = digest.split(":") as [string, string];
    const entries = await listDir(path.join(this.repoDir(name), "_referrers", algorithm, hex));
    const records: ManifestRecord[] = [];
    for (const entry of entries.sort()) {
      const record = await this.manifestRecord(name, entry.replace("-", ":"));
      if (record !== undefined) records.push(record);
    }
    return records;
  }

  /** Whether anything was ever pushed to (or mounted into) a repository. */
  async repositoryExists(name: string): Promise<boolean> {
    const dir = this.repoDir(name);
    return (
      (await sizeOf(path.join(dir, "_manifests"))) !== undefined ||
      (await sizeOf(path.join(dir, "_blobs"))) !== undefined
    );
  }

  /** Every repository name, sorted. */
  async listRepositories(): Promise<string[]> {
    const names: string[] = [];
    const walk = async (dir: string, prefix: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      if (entries.some((e) => e.name === "_manifests" || e.name === "_blobs")) names.push(prefix);
      for (const entry of entries) {
        if (entry.isDirectory() && !entry.name.startsWith("_")) {
          await walk(path.join(dir, entry.name), prefix === "" ? entry.name : `${prefix}/${entry.name}`);
        }
      }
    };
    await walk(path.join(this.root, "repositories"), "");
    return names.filter((name) => name !== "").sort();
  }

  /** Writes a small file through a temporary file and a rename, so readers see all of it or none. */
  private async writeAtomic(target: string, data: string | Uint8Array): Promise<void> {
    await writeFileAtomically(target, data, { tempDir: this.uploadsDir, createDirectory: true });
  }
}

async function sizeOf(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).size;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

async function removeFile(file: string): Promise<boolean> {
  try {
    await unlink(file);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
}

function isNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === "ENOENT" || code === "ENOTDIR";
}

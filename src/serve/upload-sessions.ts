import { createHash, type Hash, randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rm, stat, writeFile } from "node:fs/promises";
import { type Readable, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ServeError } from "./errors.js";
import type { RegistryStorage } from "./storage.js";

/** An upload in progress: bytes so far are in a temporary file under uploads/. */
export interface UploadSession {
  readonly id: string;
  readonly name: string;
  readonly path: string;
  /** True while a PATCH or PUT is writing, so two requests never append at once. */
  busy: boolean;
  /** When a request last touched the session (ms since the epoch), to purge abandoned ones. */
  lastUsed: number;
  /**
   * The sha256 of the bytes appended so far, hashed as they were written, so closing a large
   * upload does not read the whole file back; undefined once an append failed (the file and the
   * hash may then differ, and closing hashes the file instead).
   */
  running: { readonly hash: Hash; bytes: number } | undefined;
}

/**
 * The server's open upload sessions. They live in memory with their temp files: a restart
 * discards both (the storage removes leftover temp files when it opens), and clients start over.
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-a-blob-in-chunks
 */
export class UploadSessions {
  private readonly sessions = new Map<string, UploadSession>();
  private readonly storage: RegistryStorage;
  private readonly maxIdleMs: number;

  /** `maxIdleMs`: a session untouched this long is discarded (one hour by default; distribution waits a week). */
  constructor(storage: RegistryStorage, maxIdleMs = 3600_000) {
    this.storage = storage;
    this.maxIdleMs = maxIdleMs;
  }

  /** Starts a session for a repository with an empty temp file (and discards abandoned ones). */
  async create(name: string): Promise<UploadSession> {
    const now = Date.now();
    for (const old of this.sessions.values()) {
      if (!old.busy && now - old.lastUsed > this.maxIdleMs) await this.remove(old);
    }
    const id = randomUUID();
    const session: UploadSession = {
      id,
      name,
      path: this.storage.newTempPath(id),
      busy: false,
      lastUsed: now,
      running: { hash: createHash("sha256"), bytes: 0 },
    };
    await writeFile(session.path, "");
    this.sessions.set(id, session);
    return session;
  }

  /** The session `id` of repository `name`; BLOB_UPLOAD_UNKNOWN otherwise. */
  get(name: string, id: string): UploadSession {
    const session = this.sessions.get(id);
    if (session === undefined || session.name !== name) {
      throw new ServeError("BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry", {
        detail: { uuid: id },
      });
    }
    return session;
  }

  /** How many bytes the session holds (the next chunk must start there). */
  async offset(session: UploadSession): Promise<number> {
    return (await stat(session.path)).size;
  }

  /** Appends a request body to the session's temp file, hashing it on the way. */
  async append(session: UploadSession, body: Readable): Promise<void> {
    const running = session.running;
    let bytes = 0;
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
        running?.hash.update(chunk);
        bytes += chunk.length;
        callback(null, chunk);
      },
    });
    try {
      await pipeline(body, hashing, createWriteStream(session.path, { flags: "a" }));
    } catch (error) {
      session.running = undefined;
      throw error;
    }
    if (running !== undefined) running.bytes += bytes;
  }

  /**
   * The digest and size of what the session holds, from the hash kept while appending, when that
   * hash is the digest's algorithm and covers the whole file; undefined otherwise (hash the file).
   */
  async digestOf(
    session: UploadSession,
    algorithm: string,
  ): Promise<{ digest: string; size: number } | undefined> {
    const running = session.running;
    if (algorithm !== "sha256" || running === undefined) return undefined;
    if (running.bytes !== (await this.offset(session))) return undefined;
    session.running = undefined;
    return { digest: `sha256:${running.hash.digest("hex")}`, size: running.bytes };
  }

  /** Forgets a session (its temp file was committed or is removed here). */
  async remove(session: UploadSession): Promise<void> {
    this.sessions.delete(session.id);
    await rm(session.path, { force: true });
  }

  /** Discards every open session and its temp file (server shutdown). */
  async close(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((session) => rm(session.path, { force: true })));
  }
}

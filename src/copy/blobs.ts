import { pipeline, Transform, type TransformCallback } from "node:stream";
import { isTemporary } from "../errors.js";
import type { Descriptor } from "../oci/manifest.js";
import type { Repository } from "../store/types.js";
import type { CopySession } from "./session.js";

/**
 * Makes sure `target` holds a blob: skip it when the target has it, mount it from another
 * repository of the same registry that holds it (the source itself, when both are in one registry), or stream it from the source into the target
 * (never held whole in memory; the source stream checks the digest, and an error aborts the upload
 * before it is committed). Transfers of one digest into one storage are single-flight: a second
 * caller waits, then mounts. Returns the bytes this call moved (the blob's size when it streamed
 * it, else 0), so each image counts its own bytes however many run at once.
 */
export async function ensureBlob(
  session: CopySession,
  source: Repository,
  target: Repository,
  blob: Descriptor,
  signal?: AbortSignal,
): Promise<number> {
  const move: BlobMove = { session, source, target, blob, signal };
  // Tags of one repository share layers and are copied at once: one placement per repository and
  // digest, and the others wait for it instead of asking the target the same question.
  const key = `${target.storageKey}\n${target.location}\n${blob.digest}`;
  const running = session.blobPlacements.get(key);
  if (running) {
    // Settled: this run now knows the blob is there (no request), or it failed and this caller tries.
    await running.catch(() => {});
    return await placeBlob(move);
  }
  return await session.blobPlacements.run(key, () => placeBlob(move));
}

/** One blob on its way from a source repository into a target repository. */
interface BlobMove {
  readonly session: CopySession;
  readonly source: Repository;
  readonly target: Repository;
  readonly blob: Descriptor;
  readonly signal: AbortSignal | undefined;
}

async function placeBlob(move: BlobMove): Promise<number> {
  const { session, source, target, blob, signal } = move;
  // What this run already knows costs no request: a blob it put in this repository is there, and
  // one it put in another repository of the same registry is mounted without asking first.
  if (placedByThisRun(move) || (await mountFrom(move, session.holdersFor(target, blob.digest)))) return 0;
  if (!session.isNew(target) && (await target.headBlob(blob.digest, signal)) !== undefined) {
    session.recordBlob(target, blob, "exists");
    return 0;
  }
  const flightKey = `${target.storageKey}\n${blob.digest}`;
  const sameStorage = source.storageKey === target.storageKey ? [source] : [];
  for (let attempt = 0; attempt < 3; attempt++) {
    // The run may have put it there meanwhile: a transfer that settled after our HEAD was answered,
    // or the one we waited for below.
    if (placedByThisRun(move)) return 0;
    if (await mountFrom(move, [...sameStorage, ...session.holdersFor(target, blob.digest)])) return 0;
    const running = session.blobFlights.get(flightKey);
    if (running) {
      // Another image is moving this blob into the same registry: wait, then mount from it.
      await running.catch(() => {});
      continue;
    }
    return await session.blobFlights.run(flightKey, () => transferBlob(move));
  }
  return await transferBlob(move);
}

/** Whether this run already put the blob in the target repository (then it counts as there). */
function placedByThisRun({ session, target, blob }: BlobMove): boolean {
  if (!session.holds(target, blob.digest)) return false;
  session.recordBlob(target, blob, "exists");
  return true;
}

/** Mounts the blob from the first of `holders` that lets it; false when none did. */
async function mountFrom(move: BlobMove, holders: readonly Repository[]): Promise<boolean> {
  const { session, target, blob, signal } = move;
  for (const holder of holders) {
    if (await target.mountBlob(blob.digest, holder, signal)) {
      session.recordBlob(target, blob, "mounted");
      return true;
    }
  }
  return false;
}

/**
 * Transfers of one blob at most: a streamed upload cannot be replayed by the HTTP layer, so the
 * copy sends it again from a fresh source stream. Four rides out two or three 5xx/429 answers in
 * a row (the registry's Retry-After or backoff holds the next try, see the client's HostState)
 * without hammering a registry that is down.
 */
const blobAttempts = 4;

/**
 * Streams one blob from the source into the target. A temporary failure on either side (a reset
 * mid-upload, a 5xx or 429, a stalled source, bytes changed in transit, a registry that now wants
 * chunks) sends the whole blob again, up to `blobAttempts` transfers. Returns the bytes moved.
 */
async function transferBlob(move: BlobMove): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      await streamBlob(move);
      break;
    } catch (error) {
      if (!isTemporary(error) || attempt >= blobAttempts || move.signal?.aborted) throw error;
    }
  }
  move.session.counters.bytesCopied += move.blob.size;
  move.session.recordBlob(move.target, move.blob, "copied");
  return move.blob.size;
}

async function streamBlob({ session, source, target, blob, signal }: BlobMove): Promise<void> {
  await session.blobLimiter.run(async () => {
    session.onEvent({ type: "blob-start", digest: blob.digest, size: blob.size, target: target.location });
    const counted = countBytes((bytes) =>
      session.onEvent({ type: "blob-progress", digest: blob.digest, bytes }),
    );
    // The target opens its upload session while the source answers the GET: one round trip less
    // per blob. The upload waits for bytes; a failed GET ends `counted` early, which cancels it.
    const pushing = target.pushBlob(blob.digest, blob.size, counted, signal);
    pushing.catch(() => {});
    let reader: Awaited<ReturnType<Repository["getBlob"]>>;
    try {
      reader = await source.getBlob(blob.digest, blob.size, signal);
    } catch (error) {
      // Destroyed without an error (nothing may be listening yet): the upload fails and is cancelled.
      counted.destroy();
      await pushing.catch(() => {});
      throw error;
    }
    // pipeline owns both streams' errors: a digest mismatch destroys `counted`, which aborts the upload.
    pipeline(reader.stream, counted, () => {});
    try {
      await pushing;
    } finally {
      reader.stream.destroy();
    }
  });
}

function countBytes(onBytes: (bytes: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      onBytes(chunk.length);
      callback(null, chunk);
    },
  });
}

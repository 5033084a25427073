import { CrossdockError } from "../errors.js";
import { digestLike } from "../oci/digest.js";
import { type Descriptor, formatPlatform, type Manifest, parseManifest } from "../oci/manifest.js";
import { isNondistributableMediaType } from "../oci/media-types.js";
import {
  digestReference,
  parseManifestReference,
  qualifyManifestReference,
} from "../reference/manifest-reference.js";
import type { FetchedManifest, ManifestInfo, Repository } from "../store/types.js";
import { type CopyAttachment, copyOrNoteAttachments } from "./attachments.js";
import { ensureBlob } from "./blobs.js";
import { mapLimit } from "./limiter.js";
import type { CopySession } from "./session.js";

/** Options of one image copy. */
export interface CopyImageOptions {
  readonly session: CopySession;
  /** Copy only these platforms (`os/arch[/variant]`) of an index; the index digest then changes. */
  readonly platforms?: readonly string[];
  /** Copy signatures and attestations (referrers, fallback tag, cosign tags). Default true. */
  readonly referrers?: boolean;
  /** Where to tag the copy; default: the same tag or digest as the source reference. */
  readonly targetReference?: string;
  /** Already known from a plan: the source's HEAD (skips a request). */
  readonly sourceInfo?: ManifestInfo;
  /** Already known from a plan: the target's HEAD, or null for known absent. */
  readonly targetInfo?: ManifestInfo | null;
  /** Every tag of the source repository, when known (sync lists them): attachment tags are looked up there. */
  readonly sourceTags?: ReadonlySet<string>;
  readonly signal?: AbortSignal;
}

/** What one image copy did. */
export interface CopyImageResult {
  readonly source: string;
  readonly target: string;
  readonly sourceDigest: string;
  readonly digest: string;
  readonly mediaType: string;
  readonly status: "copied" | "in-sync";
  readonly platforms: readonly string[];
  readonly attachments: number;
  /** Blob bytes this copy streamed (not those of blobs already there, mounted, or moved by another image). */
  readonly bytes: number;
  readonly warnings: readonly string[];
}

/** The source has no such tag or digest. */
export class ImageNotFoundError extends CrossdockError {
  constructor(location: string) {
    super("IMAGE_NOT_FOUND", `${location}: no such image`);
  }
}

/**
 * Copies one image with everything under it, byte for byte: blobs first, then child manifests,
 * then the index, and the tag last, so a crash never leaves a tag on an incomplete image and a
 * rerun finishes the job. Unchanged images cost one HEAD on each side. `reference` (and
 * `targetReference`) is a tag or a digest as written after a name; it is read once, here.
 */
export async function copyImage(
  source: Repository,
  target: Repository,
  reference: string,
  options: CopyImageOptions,
): Promise<CopyImageResult> {
  const { session, signal } = options;
  const sourceReference = parseManifestReference(reference);
  const targetReference = parseManifestReference(options.targetReference ?? reference);
  const sourceAt = qualifyManifestReference(source.location, sourceReference);
  const targetAt = qualifyManifestReference(target.location, targetReference);
  const sourceInfo = options.sourceInfo ?? (await source.headManifest(sourceReference, signal));
  if (sourceInfo === undefined) throw new ImageNotFoundError(sourceAt);
  const filtering = options.platforms !== undefined && options.platforms.length > 0;
  const warnings: string[] = [];
  const targetInfo =
    options.targetInfo === null
      ? undefined
      : (options.targetInfo ?? (await target.headManifest(targetReference, signal)));

  let digest = sourceInfo.digest;
  let mediaType = sourceInfo.mediaType;
  let platforms: string[] = [];
  let status: CopyImageResult["status"] = "in-sync";
  let bytesMoved = 0;
  if (filtering || targetInfo?.digest !== sourceInfo.digest) {
    const root = await session.fetchManifest(source, sourceInfo.digest, signal);
    const manifest = parseManifest(root.bytes, root.mediaType);
    let bytes = root.bytes;
    if (manifest.kind === "index") {
      const children = filtering
        ? selectPlatforms(manifest.manifests, options.platforms!)
        : manifest.manifests;
      if (filtering) {
        if (children.length === 0) {
          throw new CrossdockError(
            "NO_MATCHING_PLATFORM",
            `${sourceAt} has none of the platforms ${options.platforms!.join(", ")}`,
          );
        }
        bytes = filterIndexBytes(root.bytes, new Set(children.map((c) => c.digest)));
        warnings.push(
          `only ${children.length} of ${manifest.manifests.length} manifests copied: the index digest changes from ${root.digest} to ${digestLike(root.digest, bytes)}`,
        );
      }
      bytesMoved = sum(
        await mapLimit(children, 4, (child) => copyChild(session, source, target, child, signal)),
      );
      platforms = children.filter((c) => c.platform).map((c) => formatPlatform(c.platform!));
    } else {
      bytesMoved = await copyBlobs(session, source, target, manifest, signal);
    }
    digest = digestLike(root.digest, bytes);
    mediaType = root.mediaType;
    if (targetInfo?.digest !== digest) {
      await target.putManifest(targetReference, bytes, root.mediaType, signal);
      session.counters.manifestsPushed++;
      status = "copied";
    }
  }
  // A platform subset is a new index: the original's signatures stay behind, with a note.
  const { attachments, note } = await copyOrNoteAttachments(
    session,
    source,
    target,
    sourceInfo.digest,
    digest,
    attachmentCopier(source, target, session, signal),
    options,
  );
  if (note !== undefined) warnings.push(note);
  session.onEvent({ type: "image-done", target: targetAt, status });
  return {
    source: sourceAt,
    target: targetAt,
    sourceDigest: sourceInfo.digest,
    digest,
    mediaType,
    status,
    platforms,
    attachments,
    bytes: bytesMoved,
    warnings,
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/**
 * A child manifest of an index: skipped when the target has it (its blobs were pushed before it).
 * Returns the blob bytes it streamed.
 */
async function copyChild(
  session: CopySession,
  source: Repository,
  target: Repository,
  child: Descriptor,
  signal?: AbortSignal,
): Promise<number> {
  if ((await target.headManifest(digestReference(child.digest), signal))?.digest === child.digest) {
    session.counters.manifestsExisting++;
    return 0;
  }
  const fetched: FetchedManifest = await session.fetchManifest(source, child.digest, signal);
  const manifest = parseManifest(fetched.bytes, fetched.mediaType);
  const moved =
    manifest.kind === "index"
      ? sum(
          await mapLimit(manifest.manifests, 4, (grandchild) =>
            copyChild(session, source, target, grandchild, signal),
          ),
        )
      : await copyBlobs(session, source, target, manifest, signal);
  await target.putManifest(digestReference(child.digest), fetched.bytes, fetched.mediaType, signal);
  session.counters.manifestsPushed++;
  return moved;
}

/**
 * The config and layers of an image (or artifact) manifest; non-distributable layers are skipped,
 * as the spec says. Returns the bytes streamed.
 */
async function copyBlobs(
  session: CopySession,
  source: Repository,
  target: Repository,
  manifest: Manifest & { kind: "image" },
  signal?: AbortSignal,
): Promise<number> {
  const blobs = [manifest.config, ...manifest.layers].filter((blob) => {
    if (!isNondistributableMediaType(blob.mediaType)) return true;
    session.counters.foreignLayers.add(blob.digest);
    return false;
  });
  return sum(await Promise.all(blobs.map((blob) => ensureBlob(session, source, target, blob, signal))));
}

/** The children of an index that match any of the `os/arch[/variant]` platforms. */
export function selectPlatforms(children: readonly Descriptor[], wanted: readonly string[]): Descriptor[] {
  return children.filter((child) => {
    if (!child.platform) return false;
    const platform = formatPlatform(child.platform);
    return wanted.some((w) => platform === w || (w.split("/").length === 2 && platform.startsWith(`${w}/`)));
  });
}

/** The index bytes with only the kept children, every other field as it was. */
function filterIndexBytes(bytes: Uint8Array, keep: ReadonlySet<string>): Uint8Array {
  const body = JSON.parse(Buffer.from(bytes).toString("utf8")) as { manifests: Descriptor[] };
  body.manifests = body.manifests.filter((m) => keep.has(m.digest));
  return Buffer.from(JSON.stringify(body));
}

/** How an image's attachments are copied: each an image of its own, without attachments of its own. */
export function attachmentCopier(
  source: Repository,
  target: Repository,
  session: CopySession,
  signal?: AbortSignal,
): CopyAttachment {
  return (attachment) =>
    copyImage(source, target, attachment, { session, referrers: false, ...(signal ? { signal } : {}) });
}

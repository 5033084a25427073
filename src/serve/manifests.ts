import { readFile } from "node:fs/promises";
import { digestLike } from "../oci/digest.js";
import { type Descriptor, type Manifest, ManifestError, parseManifest } from "../oci/manifest.js";
import { isNondistributableMediaType } from "../oci/media-types.js";
import {
  digestReference,
  type ManifestReference,
  parseManifestReference,
} from "../reference/manifest-reference.js";
import { isValidTag } from "../reference/reference.js";
import { ServeError } from "./errors.js";
import { type RouteContext, readBody, requireDigest, send } from "./http.js";
import type { ManifestRecord } from "./storage.js";

/** The largest manifest accepted: the spec asks registries to take at least 4 MiB. */
const manifestSizeMax = 4 * 1024 * 1024;

/**
 * `GET`/`HEAD /v2/<name>/manifests/<reference>`: the exact bytes pushed, with the media type
 * they were pushed with as Content-Type and their digest in Docker-Content-Digest.
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests
 */
export async function getManifest(ctx: RouteContext, name: string, reference: string): Promise<void> {
  const digest = await resolveReference(ctx, name, reference);
  const record = digest === undefined ? undefined : await ctx.storage.manifestRecord(name, digest);
  if (record === undefined) throw manifestUnknown(reference);
  const headers = {
    "content-type": record.mediaType,
    "docker-content-digest": record.digest,
    etag: `"${record.digest}"`,
  };
  if (ctx.req.method === "HEAD") {
    ctx.res.writeHead(200, { ...headers, "content-length": String(record.size) });
    ctx.res.end();
    return;
  }
  send(ctx, 200, headers, await readFile(ctx.storage.blobPath(record.digest)));
}

/**
 * `PUT /v2/<name>/manifests/<reference>`: stores a manifest byte for byte once every blob and
 * child manifest it names is in the repository (MANIFEST_BLOB_UNKNOWN otherwise; non-distributable
 * layers and descriptors with `urls` are exempt) and its Content-Type is its mediaType. Tags (the
 * path's, or `?tag=` on a push by digest) are written last. A `subject` is answered with
 * `OCI-Subject` and indexed for the referrers API.
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-manifests
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-manifests-with-subject
 */
export async function putManifest(ctx: RouteContext, name: string, reference: string): Promise<void> {
  const target = readManifestReference(reference, "MANIFEST_INVALID");
  const tags = tagsToPush(ctx.url, target);
  const bytes = await readBody(ctx.req, manifestSizeMax);
  const digest = target.kind === "digest" ? target.digest : digestLike("sha256:", bytes);
  if (target.kind === "digest" && digestLike(digest, bytes) !== digest) {
    throw new ServeError("DIGEST_INVALID", "manifest digest does not match its content", {
      detail: { expected: digest, actual: digestLike(digest, bytes) },
    });
  }
  const contentType = ctx.req.headers["content-type"]?.split(";")[0]?.trim().toLowerCase() || undefined;
  let manifest: Manifest;
  try {
    manifest = parseManifest(bytes, contentType);
  } catch (error) {
    if (error instanceof ManifestError)
      throw new ServeError("MANIFEST_INVALID", error.message, { cause: error });
    throw error;
  }
  // The body's mediaType and the Content-Type must agree, or the manifest would be served with a
  // type its pusher did not send; distribution refuses it the same way ("if present, mediaType
  // in manifest should be ...").
  // https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-manifests
  if (contentType !== undefined && manifest.mediaType.toLowerCase() !== contentType) {
    throw new ServeError(
      "MANIFEST_INVALID",
      `Content-Type ${contentType} does not match the manifest's mediaType ${manifest.mediaType}`,
      { detail: { contentType, mediaType: manifest.mediaType } },
    );
  }
  await checkReferences(ctx, name, manifest);
  const artifactType =
    manifest.artifactType ?? (manifest.kind === "image" ? manifest.config.mediaType : undefined);
  const record: ManifestRecord = {
    digest,
    mediaType: manifest.mediaType,
    size: bytes.length,
    ...(artifactType !== undefined ? { artifactType } : {}),
    ...(manifest.subject !== undefined ? { subject: requireDigest(manifest.subject.digest) } : {}),
    ...(manifest.annotations !== undefined ? { annotations: manifest.annotations } : {}),
  };
  await ctx.storage.putManifest(name, bytes, record);
  for (const tag of tags) await ctx.storage.setTag(name, tag, digest);
  send(ctx, 201, {
    location: `/v2/${name}/manifests/${digest}`,
    "docker-content-digest": digest,
    ...(record.subject !== undefined ? { "oci-subject": record.subject } : {}),
    ...(target.kind === "digest" && tags.length > 0 ? { "oci-tag": tags.join(", ") } : {}),
  });
}

/** The most `?tag=` parameters one push may carry (the spec asks registries to take at least 10). */
const tagsPerPushMax = 100;

/**
 * The tags a manifest push sets: the one in the path, or those of `?tag=` on a push by digest
 * (answered with `OCI-Tag`). Checked before the body is read, so a bad one stores nothing.
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-manifests
 */
function tagsToPush(url: URL, target: ManifestReference): string[] {
  const query = [...new Set(url.searchParams.getAll("tag"))];
  if (target.kind === "tag") {
    if (query.length > 0)
      throw new ServeError("MANIFEST_INVALID", "?tag= is for a push by digest, not by tag");
    return [target.tag];
  }
  if (query.length > tagsPerPushMax)
    throw new ServeError("MANIFEST_INVALID", `at most ${tagsPerPushMax} tags a push`, { status: 414 });
  for (const tag of query) readManifestReference(tag, "MANIFEST_INVALID");
  return query;
}

/**
 * Reads the `<reference>` of a manifest URL: a digest (DIGEST_INVALID when malformed) or a tag.
 * A tag outside the spec's grammar is a 400, MANIFEST_INVALID on a push (the spec's code) and
 * TAG_INVALID (distribution's) otherwise, not a 404: the request is wrong, not the repository.
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests
 */
function readManifestReference(
  reference: string,
  tagError: "MANIFEST_INVALID" | "TAG_INVALID" = "TAG_INVALID",
): ManifestReference {
  const target = parseManifestReference(reference);
  if (target.kind === "digest") return digestReference(requireDigest(target.digest));
  if (!isValidTag(target.tag))
    throw new ServeError(tagError, `invalid tag "${target.tag}"`, { detail: { tag: target.tag } });
  return target;
}

/**
 * `DELETE /v2/<name>/manifests/<reference>`: by digest removes the manifest and every tag on it;
 * by tag removes only the tag. 202 either way.
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#deleting-tags
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#deleting-manifests
 */
export async function deleteManifest(ctx: RouteContext, name: string, reference: string): Promise<void> {
  const target = readManifestReference(reference);
  const deleted =
    target.kind === "digest"
      ? await ctx.storage.deleteManifest(name, target.digest)
      : await ctx.storage.deleteTag(name, target.tag);
  if (!deleted) throw manifestUnknown(reference);
  send(ctx, 202, {});
}

async function resolveReference(
  ctx: RouteContext,
  name: string,
  reference: string,
): Promise<string | undefined> {
  const target = readManifestReference(reference);
  return target.kind === "digest" ? target.digest : await ctx.storage.resolveTag(name, target.tag);
}

async function checkReferences(ctx: RouteContext, name: string, manifest: Manifest): Promise<void> {
  if (manifest.kind === "index") {
    for (const child of manifest.manifests) {
      const record = await ctx.storage.manifestRecord(name, checked(child));
      if (record === undefined) throw blobUnknown(child);
      if (record.size !== child.size) throw sizeMismatch(child, record.size);
    }
    return;
  }
  for (const blob of [manifest.config, ...manifest.layers]) {
    // Foreign layers live elsewhere: https://github.com/opencontainers/image-spec/blob/main/layer.md#non-distributable-layers
    if (isNondistributableMediaType(blob.mediaType) || (blob.urls?.length ?? 0) > 0) continue;
    const size = await ctx.storage.repositoryBlobSize(name, checked(blob));
    if (size === undefined) throw blobUnknown(blob);
    if (size !== blob.size) throw sizeMismatch(blob, size);
  }
}

/**
 * A descriptor whose size is not that of the content it names: every client that pulls the image
 * would fail on it, so it is refused at push time, as the image spec's size field demands.
 * https://github.com/opencontainers/image-spec/blob/main/descriptor.md#properties
 */
function sizeMismatch(descriptor: Descriptor, actual: number): ServeError {
  return new ServeError(
    "MANIFEST_INVALID",
    `${descriptor.digest} is ${actual} bytes, the manifest says ${descriptor.size}`,
    { detail: { digest: descriptor.digest, size: descriptor.size, actual } },
  );
}

function checked(descriptor: Descriptor): string {
  try {
    return requireDigest(descriptor.digest);
  } catch (error) {
    throw new ServeError("MANIFEST_INVALID", `invalid digest ${descriptor.digest} in manifest`, {
      cause: error,
    });
  }
}

function blobUnknown(descriptor: Descriptor): ServeError {
  return new ServeError(
    "MANIFEST_BLOB_UNKNOWN",
    `manifest references unknown ${descriptor.mediaType} ${descriptor.digest}`,
    {
      detail: { digest: descriptor.digest },
    },
  );
}

function manifestUnknown(reference: string): ServeError {
  return new ServeError("MANIFEST_UNKNOWN", `manifest unknown: ${reference}`, { detail: { reference } });
}

import { digestLike } from "../oci/digest.js";
import { manifestAccept } from "../oci/media-types.js";
import { formatReference, type Reference } from "../reference/reference.js";
import { deleteScope, pullScope, pushScope } from "./auth/scope.js";
import { DigestMismatchError, RegistryError, redactUrl } from "./errors.js";
import { getAndRead } from "./read-body.js";
import { discardBody, errorFromResponse, readBytesLimited } from "./response.js";
import { describeFailure, isTransientFailure } from "./retry.js";
import type { RegistryCall, RegistrySession } from "./session.js";
import type { FetchedManifest, ManifestInfo } from "./types.js";

/**
 * Manifests larger than this are refused: distribution caps them at 4 MiB and the OCI spec
 * asks registries to accept at least that much.
 * https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#pushing-manifests
 */
const manifestSizeLimit = 4 * 1024 * 1024;

/** The Accept header of every manifest request: OCI index and manifest, Docker list and v2. */
const acceptHeader = manifestAccept.join(", ");

/** The tag or digest a manifest URL names (digest wins; `latest` as docker assumes when neither). */
function manifestPath(ref: Reference): string {
  return `/v2/${ref.path}/manifests/${ref.digest ?? ref.tag ?? "latest"}`;
}

/** A media type without parameters (`; charset=utf-8`). */
function bareMediaType(header: string | string[] | undefined): string | undefined {
  const text = Array.isArray(header) ? header[0] : header;
  const bare = text?.split(";")[0]?.trim();
  return bare === undefined || bare === "" ? undefined : bare;
}

function headerOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** HEAD a manifest: digest, media type and size, or undefined on 404. Costs no pull on Docker Hub. */
export async function headManifest(
  session: RegistrySession,
  ref: Reference,
  signal?: AbortSignal,
): Promise<ManifestInfo | undefined> {
  const res = await session.send({
    registry: ref.domain,
    method: "HEAD",
    target: manifestPath(ref),
    scopes: [pullScope(ref.path)],
    stat: "manifestHead",
    headers: { accept: acceptHeader },
    retryable: true,
    followRedirects: true,
    signal,
  });
  if (res.status === 404) {
    await discardBody(res.body);
    return undefined;
  }
  if (res.status !== 200) {
    throw await errorFromResponse(
      res,
      session.context(ref.domain, `manifest ${formatReference(ref)}`, "MANIFEST_UNKNOWN"),
    );
  }
  await discardBody(res.body);
  const digest = headerOf(res.headers["docker-content-digest"]) ?? ref.digest;
  const mediaType = bareMediaType(res.headers["content-type"]);
  const size = Number(headerOf(res.headers["content-length"]));
  if (digest === undefined || mediaType === undefined || !Number.isFinite(size)) {
    // The spec makes Docker-Content-Digest on a HEAD a SHOULD, not a MUST, and some registries omit it
    // (or Content-Type): a GET tells all, and checks the digest.
    // https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#checking-if-content-exists-in-the-registry
    const fetched = await getManifest(session, ref, signal);
    return { digest: fetched.digest, mediaType: fetched.mediaType, size: fetched.size };
  }
  return { digest, mediaType, size };
}

/**
 * GET a manifest's exact bytes and check them against the requested digest, else against
 * Docker-Content-Digest; throws RegistryError (404: MANIFEST_UNKNOWN) or DigestMismatchError.
 */
export async function getManifest(
  session: RegistrySession,
  ref: Reference,
  signal?: AbortSignal,
): Promise<FetchedManifest> {
  const what = `manifest ${formatReference(ref)}`;
  const call: RegistryCall = {
    registry: ref.domain,
    method: "GET",
    target: manifestPath(ref),
    scopes: [pullScope(ref.path)],
    stat: "manifestGet",
    headers: { accept: acceptHeader },
    retryable: true,
    followRedirects: true,
    signal,
  };
  const context = session.context(ref.domain, what, "MANIFEST_UNKNOWN");
  return await getAndRead(session, call, context, async (res) => {
    let bytes: Buffer;
    try {
      bytes = await readBytesLimited(res.body, manifestSizeLimit);
    } catch (error) {
      // A body cut off mid-transfer (a reset, a stall) is temporary: getAndRead asks again.
      throw new RegistryError({
        code: "MANIFEST_INVALID",
        message: `${what}: the body from ${ref.domain} broke off (${describeFailure(error)})`,
        host: ref.domain,
        url: redactUrl(res.url),
        status: res.status,
        temporary: isTransientFailure(error),
        cause: error,
      });
    }
    const expected = ref.digest ?? headerOf(res.headers["docker-content-digest"]);
    const digest = digestLike(expected ?? "sha256:", bytes);
    // Other bytes than the digest names: changed in transit or by the registry; asked again, bounded.
    if (expected !== undefined && digest !== expected)
      throw new DigestMismatchError(`${what} from ${ref.domain}`, expected, digest, { temporary: true });
    return { digest, mediaType: mediaTypeOf(res.headers["content-type"], bytes), size: bytes.length, bytes };
  });
}

/** The media type from Content-Type, else from the body's `mediaType` field. */
function mediaTypeOf(contentType: string | string[] | undefined, bytes: Uint8Array): string {
  const header = bareMediaType(contentType);
  if (header !== undefined && header !== "application/octet-stream" && header !== "text/plain") return header;
  try {
    const body = JSON.parse(Buffer.from(bytes).toString("utf8")) as { mediaType?: unknown };
    if (typeof body.mediaType === "string") return body.mediaType;
  } catch {
    // not JSON: the header (or the OCI default) is all there is
  }
  return header ?? "application/vnd.oci.image.manifest.v1+json";
}

/**
 * PUT a manifest's exact bytes under a tag or digest; returns its digest. A digest reference
 * must match the bytes; the registry's Docker-Content-Digest must too. When the registry stored
 * other bytes than were sent (changed in transit: it states another digest, or refuses a push by
 * digest with DIGEST_INVALID), the right bytes are sent again, up to the client's retry bound; if
 * they never arrive, the manifest the tag now names is deleted (best effort), so the tag is not
 * left on bytes crossdock did not send, and the error says whether that worked.
 */
export async function putManifest(
  session: RegistrySession,
  ref: Reference,
  bytes: Uint8Array,
  mediaType: string,
  signal?: AbortSignal,
): Promise<string> {
  const what = `manifest ${formatReference(ref)}`;
  const digest = digestLike(ref.digest ?? "sha256:", bytes);
  if (ref.digest !== undefined && digest !== ref.digest)
    throw new DigestMismatchError(what, ref.digest, digest);
  for (let attempt = 0; ; attempt++) {
    const res = await session.send({
      registry: ref.domain,
      method: "PUT",
      target: manifestPath(ref),
      scopes: [pushScope(ref.path)],
      stat: "manifestPut",
      headers: { "content-type": mediaType },
      body: bytes,
      retryable: true,
      signal,
    });
    const last = attempt >= session.maxRetries || signal?.aborted === true;
    if (res.status !== 201 && res.status !== 200 && res.status !== 202) {
      const error = await errorFromResponse(res, session.context(ref.domain, `push ${what}`, "NAME_UNKNOWN"));
      // The bytes were parsed and hashed here before they were sent: a registry that finds them
      // other than the digest says (DIGEST_INVALID) or unparsable (MANIFEST_INVALID) got them
      // changed in transit, so they are sent again, bounded. A registry that truly refuses the
      // manifest refuses it every time, and that answer is reported.
      // https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#pushing-manifests
      if ((error.code !== "DIGEST_INVALID" && error.code !== "MANIFEST_INVALID") || last) throw error;
      await session.pauseBeforeRetry(ref.domain, attempt, signal);
      continue;
    }
    await discardBody(res.body);
    const stated = headerOf(res.headers["docker-content-digest"]);
    if (!(stated?.startsWith(`${digest.slice(0, digest.indexOf(":"))}:`) && stated !== digest)) return digest;
    if (!last) {
      await session.pauseBeforeRetry(ref.domain, attempt, signal);
      continue;
    }
    const outcome = await deleteStray(session, ref, stated);
    throw new DigestMismatchError(
      `push ${what} (${ref.domain} stored other bytes than were sent, ${attempt + 1} times; ${outcome})`,
      digest,
      stated,
      { temporary: true },
    );
  }
}

/** Deletes the manifest a push left under a tag that crossdock did not send; says what happened. */
async function deleteStray(session: RegistrySession, ref: Reference, stray: string): Promise<string> {
  if (ref.digest !== undefined) return "nothing was tagged";
  try {
    await deleteManifest(session, { ...ref, digest: stray }, AbortSignal.timeout(30_000));
    return `the manifest ${stray} it tagged was deleted`;
  } catch (error) {
    return `the tag may name ${stray}, which could not be deleted: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** DELETE a manifest (by digest; by tag where the registry allows it, OCI 1.1). */
export async function deleteManifest(
  session: RegistrySession,
  ref: Reference,
  signal?: AbortSignal,
): Promise<void> {
  const res = await session.send({
    registry: ref.domain,
    method: "DELETE",
    target: manifestPath(ref),
    scopes: [deleteScope(ref.path)],
    stat: "other",
    retryable: true,
    signal,
  });
  if (res.status !== 202 && res.status !== 200 && res.status !== 204) {
    throw await errorFromResponse(
      res,
      session.context(ref.domain, `delete manifest ${formatReference(ref)}`, "MANIFEST_UNKNOWN"),
    );
  }
  await discardBody(res.body);
}

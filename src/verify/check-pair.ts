import { formatReference, type Reference, repositoryOf } from "../reference/reference.js";
import type { RegistryClient } from "../registry/client.js";
import type { ManifestInfo } from "../registry/types.js";
import { findAttachments, findMissingAttachments } from "./attachments.js";
import type { VerifyPair } from "./pairs.js";
import { describePlatformDifference, readPlatforms } from "./platforms.js";
import { worstStatus } from "./status.js";
import type { VerifyItem, VerifyStatus } from "./types.js";
import { type AnonymousPull, checkAnonymousPull, describeNotPublic } from "./visibility.js";

/** What an earlier migration recorded of a source image (a crossdock.lock entry has this shape). */
export interface RecordedImage {
  /** Canonical source reference with its tag (`docker.io/kubeflowkatib/katib-ui:v0.18.0`). */
  readonly source: string;
  readonly digest: string;
  /** `os/arch[/variant]` of each child of an index; empty for a single-platform image. */
  readonly platforms: readonly string[];
}

/** What checkPair needs besides the pair; `anonymousPulls` is shared so each target repository is asked once. */
export interface CheckContext {
  readonly client: RegistryClient;
  readonly anonymousClient: RegistryClient;
  readonly recorded: readonly RecordedImage[];
  readonly checkPublic: boolean;
  readonly anonymousPulls: Map<string, Promise<AnonymousPull>>;
  readonly signal: AbortSignal | undefined;
}

interface Finding {
  readonly status: VerifyStatus;
  readonly message: string;
}

/** What is known of the source: its manifest, its crossdock.lock entry, or why it could not be read. */
interface SourceState {
  readonly info?: ManifestInfo;
  readonly locked?: RecordedImage;
  readonly error?: string;
}

/**
 * Checks one (source, target) pair against the registries and returns every problem found, the
 * status being the worst of them. Registry failures become `error` findings, never exceptions
 * (an abort still throws).
 */
export async function checkPair(pair: VerifyPair, context: CheckContext): Promise<VerifyItem> {
  const { client, signal } = context;
  const source = formatReference(pair.source);
  const target = formatReference(pair.target);
  const findings: Finding[] = [];
  const result = (extra: Partial<Pick<VerifyItem, "sourceDigest" | "targetDigest" | "platforms">>) => {
    const status = worstStatus(findings.map((f) => f.status));
    return { source, target, where: pair.where, status, problems: findings.map((f) => f.message), ...extra };
  };

  let targetInfo: ManifestInfo | undefined;
  try {
    targetInfo = await client.headManifest(pair.target, signal);
  } catch (error) {
    findings.push({ status: "error", message: `cannot read ${target}: ${messageOf(error, signal)}` });
    return result({});
  }
  const sourceState = await readSource(pair.source, context);
  const expected = sourceState.info?.digest ?? sourceState.locked?.digest;
  const sourceDigest = expected !== undefined ? { sourceDigest: expected } : {};

  if (targetInfo === undefined) {
    findings.push({ status: "missing", message: describeMissing(pair, target, sourceState) });
    return result(sourceDigest);
  }
  const found = { ...sourceDigest, targetDigest: targetInfo.digest };

  if (expected === undefined) {
    findings.push(
      sourceState.error !== undefined
        ? {
            status: "error",
            message: `cannot read the source ${source} (${sourceState.error}) and crossdock.lock has no entry for it: the target's digest is unconfirmed`,
          }
        : {
            status: "source-missing",
            message: `the source ${source} no longer exists and crossdock.lock has no entry for it: the target's digest ${targetInfo.digest} cannot be confirmed`,
          },
    );
  } else if (expected !== targetInfo.digest) {
    const from = sourceState.info !== undefined ? "the source" : "crossdock.lock (the source is gone)";
    findings.push({
      status: "digest-differs",
      message: `${target} is ${targetInfo.digest} but ${from} says ${expected}: the target holds another image under that tag (pushed separately, or the tag moved since the copy); copy it again with \`crossdock copy ${source} ${target}\``,
    });
  }

  let platforms: string[] | undefined;
  try {
    platforms = await readPlatforms(client, pair.target, targetInfo, signal);
    if (expected !== undefined && expected !== targetInfo.digest) {
      const sourcePlatforms = await readSourcePlatforms(client, pair.source, sourceState, signal);
      const difference = describePlatformDifference(sourcePlatforms, platforms);
      if (difference !== undefined) findings.push({ status: "platforms-differ", message: difference });
    }
  } catch (error) {
    findings.push({ status: "error", message: `cannot compare platforms: ${messageOf(error, signal)}` });
  }

  if (context.checkPublic) await checkPublic(pair, target, context, findings);

  if (sourceState.info !== undefined && sourceState.info.digest === targetInfo.digest) {
    try {
      const attachments = await findAttachments(client, repositoryOf(pair.source), targetInfo.digest, signal);
      const missing = await findMissingAttachments(client, repositoryOf(pair.target), attachments, signal);
      if (missing.length > 0) {
        const names = missing.map((a) => a.tag ?? a.digest).join(", ");
        findings.push({
          status: "signatures-missing",
          message: `the source has ${attachments.length} signature(s) or attestation(s) for ${targetInfo.digest}; the target lacks ${missing.length}: ${names}; copy again with \`crossdock copy ${source} ${target}\`, which brings them along`,
        });
      }
    } catch (error) {
      findings.push({ status: "error", message: `cannot compare signatures: ${messageOf(error, signal)}` });
    }
  }
  return result({ ...found, ...(platforms !== undefined ? { platforms } : {}) });
}

/** HEADs the source; on 404 or a failure, falls back to what crossdock.lock recorded for the pair. */
async function readSource(ref: Reference, context: CheckContext): Promise<SourceState> {
  let info: ManifestInfo | undefined;
  let error: string | undefined;
  try {
    info = await context.client.headManifest(ref, context.signal);
  } catch (caught) {
    error = messageOf(caught, context.signal);
  }
  if (info !== undefined) {
    const locked = findLocked(context.recorded, ref);
    return locked !== undefined && locked.digest === info.digest ? { info, locked } : { info };
  }
  const locked = findLocked(context.recorded, ref);
  return { ...(locked !== undefined ? { locked } : {}), ...(error !== undefined ? { error } : {}) };
}

/** The lock entry of a source reference (a reference with neither tag nor digest means `latest`). */
function findLocked(recorded: readonly RecordedImage[], ref: Reference): RecordedImage | undefined {
  const text = formatReference(
    ref.tag === undefined && ref.digest === undefined ? { ...ref, tag: "latest" } : ref,
  );
  return recorded.find((image) => image.source === text);
}

/**
 * The source's platforms: crossdock.lock's when it recorded this very digest (no GET against a
 * rate-limited source), else the source index's children.
 */
async function readSourcePlatforms(
  client: RegistryClient,
  ref: Reference,
  state: SourceState,
  signal: AbortSignal | undefined,
): Promise<string[] | undefined> {
  const lockPlatforms = (locked: RecordedImage): string[] | undefined =>
    locked.platforms.length > 0 ? [...locked.platforms].sort() : undefined;
  if (state.info === undefined) return state.locked !== undefined ? lockPlatforms(state.locked) : undefined;
  if (state.locked !== undefined) return lockPlatforms(state.locked);
  return await readPlatforms(client, ref, state.info, signal);
}

/** The headline case: the files pin a tag (or digest) that the target does not have. */
function describeMissing(pair: VerifyPair, target: string, source: SourceState): string {
  const what =
    pair.target.digest !== undefined
      ? `manifest ${pair.target.digest}`
      : `tag "${pair.target.tag ?? "latest"}"${pair.target.tag === undefined ? " (no tag written: latest)" : ""}`;
  const places = pair.where.join(", ");
  // What the files write: before the switch that is the source, whose target lacks the tag.
  const named = pair.named === "source" ? formatReference(pair.source) : target;
  const head = `${places} ${pair.where.length === 1 ? "pins" : "pin"} ${named}, a ${pair.target.digest !== undefined ? "digest" : "tag"} nobody copied: ${pair.target.name} has no ${what}`;
  const sourceText = formatReference(pair.source);
  if (source.info !== undefined) {
    return `${head}; the source has it (${source.info.digest}): copy it with \`crossdock copy ${sourceText} ${target}\` before switching`;
  }
  if (source.locked !== undefined) {
    return `${head}; crossdock.lock records it at ${source.locked.digest} but the source cannot be read${source.error !== undefined ? ` (${source.error})` : ""}`;
  }
  if (source.error !== undefined)
    return `${head}; the source ${sourceText} cannot be read either (${source.error})`;
  return `${head}; the source ${sourceText} has no such ${pair.target.digest !== undefined ? "manifest" : "tag"} either: the reference was broken before the migration`;
}

/** Adds a `not-public` (or `error`) finding when the target cannot be pulled without credentials. */
async function checkPublic(
  pair: VerifyPair,
  target: string,
  context: CheckContext,
  findings: Finding[],
): Promise<void> {
  // Visibility belongs to the repository (a GHCR package), so one anonymous HEAD per repository answers for every tag.
  let pull = context.anonymousPulls.get(pair.target.name);
  if (pull === undefined) {
    pull = checkAnonymousPull(context.anonymousClient, pair.target, context.signal);
    context.anonymousPulls.set(pair.target.name, pull);
  }
  const answer = await pull;
  if (answer.kind === "refused") {
    findings.push({ status: "not-public", message: describeNotPublic(pair.target, target, answer.answer) });
  } else if (answer.kind === "error") {
    findings.push({
      status: "error",
      message: `cannot check an anonymous pull of ${target}: ${answer.message}`,
    });
  }
}

function messageOf(error: unknown, signal: AbortSignal | undefined): string {
  signal?.throwIfAborted();
  return error instanceof Error ? error.message : String(error);
}

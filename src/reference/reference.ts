import { InvalidReferenceError } from "./errors.js";
import {
  anchoredDigest,
  anchoredIdentifier,
  anchoredName,
  anchoredReference,
  anchoredTag,
  digestAlgorithms,
  nameTotalLengthMax,
} from "./grammar.js";

/** Docker Hub's canonical domain; references without a domain belong to it. */
export const defaultDomain = "docker.io";
/** The legacy name of Docker Hub, read as `docker.io`. */
export const legacyDefaultDomain = "index.docker.io";
/** Docker Hub's namespace for official images (`mysql` is `docker.io/library/mysql`). */
export const officialRepoPrefix = "library/";

/**
 * A parsed, normalized image reference. `name` is `domain/path`; tag and digest are kept as given.
 * As upstream, `domain` is "" (and `name` is `path`) in the one odd case where the domain rule takes
 * the first component for a registry that is not a valid host but is a valid path component, such
 * as `foo_bar.com/x`: distribution/reference then reads the whole name as the path.
 */
export interface Reference {
  readonly domain: string;
  readonly path: string;
  readonly name: string;
  readonly tag?: string;
  readonly digest?: string;
}

/**
 * Parses a reference the way distribution/reference's ParseNormalizedNamed does: a missing domain
 * is docker.io, a one-component Docker Hub path gets `library/`, `index.docker.io` is read as
 * `docker.io`. Throws InvalidReferenceError with the reason.
 * https://github.com/distribution/reference/blob/main/normalize.go
 */
export function parseReference(input: string): Reference {
  if (anchoredIdentifier.test(input)) {
    throw new InvalidReferenceError(input, "a 64-character hexadecimal string is an image ID, not a name");
  }
  const { domain, remainder } = splitDockerDomain(input);
  const colon = remainder.indexOf(":");
  const at = remainder.indexOf("@");
  const cut = [colon, at].filter((i) => i >= 0);
  const remoteName = cut.length > 0 ? remainder.slice(0, Math.min(...cut)) : remainder;
  if (remoteName.toLowerCase() !== remoteName) {
    throw new InvalidReferenceError(input, "repository name must be lowercase");
  }
  return parseQualified(`${domain}/${remainder}`, input);
}

/** Like parseReference, but returns undefined instead of throwing. */
export function tryParseReference(input: string): Reference | undefined {
  try {
    return parseReference(input);
  } catch {
    return undefined;
  }
}

/** Parses a fully qualified reference (`host/path[:tag][@digest]`) without any defaults. */
function parseQualified(qualified: string, input: string): Reference {
  if (qualified === "")
    throw new InvalidReferenceError(input, "repository name must have at least one component");
  const match = anchoredReference.exec(qualified);
  if (match === null) {
    if (anchoredReference.test(qualified.toLowerCase())) {
      throw new InvalidReferenceError(input, "repository name must be lowercase");
    }
    throw new InvalidReferenceError(input, explainInvalid(qualified));
  }
  const name = match[1] ?? "";
  // Split as upstream's Parse does, with anchoredNameRegexp (not at the first '/'), and check the
  // length of the path alone (RepositoryNameTotalLengthMax): the domain does not count.
  const split = anchoredName.exec(name);
  const domain = split?.[1] ?? "";
  const path = split?.[2] ?? name;
  if (path.length > nameTotalLengthMax) {
    throw new InvalidReferenceError(
      input,
      `repository name must not be more than ${nameTotalLengthMax} characters`,
    );
  }
  const reference: { -readonly [K in keyof Reference]: Reference[K] } = { domain, path, name };
  if (match[2] !== undefined) reference.tag = match[2];
  if (match[3] !== undefined) {
    const problem = checkDigest(match[3]);
    if (problem !== undefined) throw new InvalidReferenceError(input, problem);
    reference.digest = match[3];
  }
  return reference;
}

/** A best guess at why a string failed the grammar, for the error message. */
function explainInvalid(qualified: string): string {
  const at = qualified.indexOf("@");
  if (at >= 0) {
    const digest = qualified.slice(at + 1);
    if (!anchoredDigest.test(digest)) return `invalid digest "${digest}"`;
  }
  const beforeDigest = at >= 0 ? qualified.slice(0, at) : qualified;
  const lastSlash = beforeDigest.lastIndexOf("/");
  const colon = beforeDigest.indexOf(":", lastSlash + 1);
  if (colon >= 0 && anchoredName.test(beforeDigest.slice(0, colon))) {
    const tag = beforeDigest.slice(colon + 1);
    if (!anchoredTag.test(tag)) {
      return tag.length > 128 ? "tag must not be more than 128 characters" : `invalid tag "${tag}"`;
    }
  }
  return "invalid reference format";
}

/**
 * Checks a digest's algorithm and encoding as go-digest does: a registered algorithm with the
 * right length of lower-case hex. Returns the problem, or undefined when it is valid.
 */
export function checkDigest(digest: string): string | undefined {
  if (!anchoredDigest.test(digest)) return `invalid digest "${digest}"`;
  const colon = digest.indexOf(":");
  const algorithm = digest.slice(0, colon);
  const encoded = digest.slice(colon + 1);
  const length = digestAlgorithms[algorithm];
  if (length === undefined) return `unsupported digest algorithm "${algorithm}"`;
  if (encoded.length !== length || !/^[a-f0-9]+$/.test(encoded)) {
    return `invalid ${algorithm} digest: want ${length} lower-case hexadecimal characters`;
  }
  return undefined;
}

/** Whether a string is a valid tag (up to 128 word characters, dots and dashes). */
export function isValidTag(tag: string): boolean {
  return anchoredTag.test(tag);
}

/**
 * Splits a name into registry domain and remainder: the first component is a registry when it
 * contains '.' or ':', is `localhost`, or has upper case. splitDockerDomain in normalize.go.
 */
export function splitDockerDomain(input: string): { domain: string; remainder: string } {
  const slash = input.indexOf("/");
  let domain: string;
  let remainder: string;
  const first = slash === -1 ? "" : input.slice(0, slash);
  if (slash === -1 || !isDomainComponent(first)) {
    domain = defaultDomain;
    remainder = input;
  } else {
    domain = first;
    remainder = input.slice(slash + 1);
  }
  if (domain === legacyDefaultDomain) domain = defaultDomain;
  if (domain === defaultDomain && !remainder.includes("/")) remainder = officialRepoPrefix + remainder;
  return { domain, remainder };
}

/** Whether the first path component of a name is a registry host (the domain rule). */
export function isDomainComponent(first: string): boolean {
  return first.includes(".") || first.includes(":") || first === "localhost" || first.toLowerCase() !== first;
}

/** The canonical string: `domain/path[:tag][@digest]`. */
export function formatReference(ref: Reference): string {
  return (
    ref.name +
    (ref.tag !== undefined ? `:${ref.tag}` : "") +
    (ref.digest !== undefined ? `@${ref.digest}` : "")
  );
}

/** The familiar (short) name, as `docker` prints it: `mysql`, `kubeflowkatib/katib-ui`, `ghcr.io/x/y`. */
export function familiarName(ref: Pick<Reference, "domain" | "path">): string {
  if (ref.domain === "") return ref.path;
  if (ref.domain !== defaultDomain) return `${ref.domain}/${ref.path}`;
  if (ref.path.startsWith(officialRepoPrefix) && !ref.path.slice(officialRepoPrefix.length).includes("/")) {
    return ref.path.slice(officialRepoPrefix.length);
  }
  return ref.path;
}

/** The familiar string: the familiar name with the tag and digest. */
export function familiarString(ref: Reference): string {
  return formatReference({ ...ref, name: familiarName(ref) });
}

/** A copy of the reference with another tag (and no digest), such as a cosign `sha256-<hex>.sig` tag. */
export function withTag(ref: Reference, tag: string): Reference {
  if (!isValidTag(tag)) throw new InvalidReferenceError(tag, "invalid tag");
  return { domain: ref.domain, path: ref.path, name: ref.name, tag };
}

/** A copy of the reference pinned to a digest (and no tag). */
export function withDigest(ref: Reference, digest: string): Reference {
  const problem = checkDigest(digest);
  if (problem !== undefined) throw new InvalidReferenceError(digest, problem);
  return { domain: ref.domain, path: ref.path, name: ref.name, digest };
}

/** The repository part alone (no tag, no digest). */
export function repositoryOf(ref: Reference): Reference {
  return { domain: ref.domain, path: ref.path, name: ref.name };
}

/**
 * The image-reference grammar of distribution/reference, as regular expressions.
 * https://github.com/distribution/reference/blob/main/regexp.go
 * Kept verbatim in shape so a reader can compare them line by line.
 */

const alphanumeric = "[a-z0-9]+";
const separator = "(?:[._]|__|[-]+)";
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const domainNameComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const ipv6address = "\\[(?:[a-fA-F0-9:]+)\\]";
const domainName = `${domainNameComponent}(?:\\.${domainNameComponent})*`;
const host = `(?:${domainName}|${ipv6address})`;
const optionalPort = "(?::[0-9]+)?";
/** A registry host with an optional port. */
export const domainAndPort = `${host}${optionalPort}`;
/** A tag: a word character then up to 127 of word characters, dots and dashes. */
export const tag = "[\\w][\\w.-]{0,127}";
/** A digest: algorithm ':' encoded (hex, at least 32 characters); the algorithm is checked separately. */
export const digest = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
/** A repository path: one or more path components separated by '/'. */
export const remoteName = `${pathComponent}(?:/${pathComponent})*`;
/** A name: an optional domain, then the repository path. */
export const namePattern = `(?:${domainAndPort}/)?${remoteName}`;
/** A whole reference: name, optional tag, optional digest. */
export const referencePattern = `(${namePattern})(?::(${tag}))?(?:@(${digest}))?`;

export const anchoredReference = new RegExp(`^${referencePattern}$`);
export const anchoredTag = new RegExp(`^${tag}$`);
export const anchoredDigest = new RegExp(`^${digest}$`);
export const anchoredRemoteName = new RegExp(`^${remoteName}$`);
export const anchoredDomain = new RegExp(`^${domainAndPort}$`);
/**
 * A name split into domain and path, as upstream's anchoredNameRegexp does: the domain group is
 * empty when the first component is not a valid host (`foo_bar.com/x` is all path).
 */
export const anchoredName = new RegExp(`^(?:(${domainAndPort})/)?(${remoteName})$`);
/** A bare 64-hex identifier, which ParseNormalizedNamed refuses as a name. */
export const anchoredIdentifier = /^[a-f0-9]{64}$/;

/**
 * The longest a repository path may be (RepositoryNameTotalLengthMax). Upstream checks the path
 * only, without the domain: `example.com/` followed by 255 characters is valid.
 */
export const nameTotalLengthMax = 255;

/** Encoded lengths of the digest algorithms go-digest registers; each is lower-case hex. */
export const digestAlgorithms: Readonly<Record<string, number>> = {
  sha256: 64,
  sha384: 96,
  sha512: 128,
};

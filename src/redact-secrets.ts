/** What every hidden secret is replaced with. */
export const redacted = "[redacted]";

/** Known secrets shorter than this are not searched for: a two-letter password would blot out words. */
const minSecretLength = 4;

/**
 * Text a third party wrote (a registry's error body, a token server's answer, a credential helper's
 * stderr, a URL) made safe to print or store: Authorization values, bearer and basic credentials,
 * base64 `user:password` pairs, JWTs, URL userinfo, `password=`/`token=` style fields, and each of
 * `secrets` (the credentials crossdock sent, and their encodings) are replaced by `[redacted]`.
 * Servers do echo what they were sent: a 403 body quoting the Authorization header, base64 basic
 * credentials included, as in https://github.com/opensearch-project/opensearch-java/issues/1218.
 */
export function redactSecrets(text: string, secrets: Iterable<string> = []): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= minSecretLength) out = out.split(secret).join(redacted);
  }
  return out
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi, `$1${redacted}@`)
    .replace(/\b(authorization"?\s*[:=]\s*"?)(?:(bearer|basic)\s+)?[^\s",;]+/gi, (_m, key: string, scheme) =>
      scheme === undefined ? `${key}${redacted}` : `${key}${scheme} ${redacted}`,
    )
    .replace(/\b(bearer|basic)(\s+)(?!\[redacted\])[A-Za-z0-9._~+/=-]{4,}/gi, `$1$2${redacted}`)
    .replace(/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, redacted)
    .replace(
      /\b((?:access_|refresh_|identity|registry)?token|password|passwd|secret)("?\s*[:=]\s*"?)(?!\[redacted\])[^\s"&,;]+/gi,
      `$1$2${redacted}`,
    )
    .replace(/[A-Za-z0-9+/]{12,}={0,2}/g, (candidate) => (isBasicPair(candidate) ? redacted : candidate));
}

/** Whether a base64 word decodes to `user:password` in printable ASCII (what Basic auth sends). */
function isBasicPair(candidate: string): boolean {
  if (candidate.length % 4 !== 0) return false;
  const decoded = Buffer.from(candidate, "base64").toString("latin1");
  const colon = decoded.indexOf(":");
  return colon > 0 && colon < decoded.length - 1 && /^[\x20-\x7e]+$/.test(decoded);
}

/** The forms a credential travels in, for redactSecrets: the secret itself and the Basic pair. */
export function secretForms(username: string | undefined, secret: string): string[] {
  const forms = [secret];
  if (username !== undefined) forms.push(Buffer.from(`${username}:${secret}`).toString("base64"));
  return forms;
}

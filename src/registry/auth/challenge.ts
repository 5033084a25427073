/** An authentication challenge from a registry's `WWW-Authenticate` header. */
export interface Challenge {
  /** Lower case: `bearer` or `basic` (others are kept but cannot be answered). */
  readonly scheme: string;
  /** Parameters with lower-case names: realm, service, scope, error. */
  readonly params: Readonly<Record<string, string>>;
}

/**
 * Parses `WWW-Authenticate` (RFC 7235 auth-params, quoted or token values, several challenges
 * separated by commas). Returns the challenges in order.
 * https://distribution.github.io/distribution/spec/auth/token/#how-to-authenticate
 */
export function parseChallenges(header: string | string[] | undefined): Challenge[] {
  const texts = Array.isArray(header) ? header : header !== undefined ? [header] : [];
  const challenges: Challenge[] = [];
  for (const text of texts) {
    let i = 0;
    let current: { scheme: string; params: Record<string, string> } | undefined;
    while (i < text.length) {
      while (i < text.length && (text[i] === " " || text[i] === ",")) i++;
      const tokenMatch = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/.exec(text.slice(i));
      if (tokenMatch === null) break;
      const token = tokenMatch[0];
      i += token.length;
      let j = i;
      while (text[j] === " ") j++;
      if (text[j] === "=" && current !== undefined) {
        j++;
        while (text[j] === " ") j++;
        let value = "";
        if (text[j] === '"') {
          j++;
          while (j < text.length && text[j] !== '"') {
            if (text[j] === "\\" && j + 1 < text.length) j++;
            value += text[j];
            j++;
          }
          j++;
        } else {
          const bare = /^[^,\s]*/.exec(text.slice(j));
          value = bare?.[0] ?? "";
          j += value.length;
        }
        current.params[token.toLowerCase()] = value;
        i = j;
      } else {
        current = { scheme: token.toLowerCase(), params: {} };
        challenges.push(current);
      }
    }
  }
  return challenges;
}

/** The challenge crossdock answers: the first Bearer, else the first Basic, else undefined. */
export function pickChallenge(challenges: readonly Challenge[]): Challenge | undefined {
  return challenges.find((c) => c.scheme === "bearer") ?? challenges.find((c) => c.scheme === "basic");
}

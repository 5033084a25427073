import { createHmac, timingSafeEqual } from "node:crypto";

/** What a token grants on one resource, as in Docker's token spec. */
export interface Access {
  readonly type: string;
  readonly name: string;
  readonly actions: readonly string[];
}

/** The claims of a token this registry issues. */
export interface TokenClaims {
  readonly iss: string;
  /** The user, or "" for an anonymous token. */
  readonly sub: string;
  readonly aud: string;
  readonly iat: number;
  readonly exp: number;
  readonly access: readonly Access[];
  /** "refresh" for a refresh token (which grants nothing by itself). */
  readonly typ?: string;
}

const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));

/**
 * Signs claims as a JWT with HS256. The key is random per server, so tokens die with it.
 * https://distribution.github.io/distribution/spec/auth/jwt/
 */
export function signToken(claims: TokenClaims, key: Uint8Array): string {
  const body = `${header}.${base64url(JSON.stringify(claims))}`;
  return `${body}.${createHmac("sha256", key).update(body).digest("base64url")}`;
}

/** The claims of a token signed with `key` and not expired at `nowSeconds`, or undefined. */
export function verifyToken(token: string, key: Uint8Array, nowSeconds: number): TokenClaims | undefined {
  const parts = token.split(".");
  if (parts.length !== 3 || parts[0] !== header) return undefined;
  const expected = createHmac("sha256", key).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2]!, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as TokenClaims;
    return typeof claims.exp === "number" && claims.exp > nowSeconds ? claims : undefined;
  } catch {
    return undefined;
  }
}

function base64url(text: string): string {
  return Buffer.from(text).toString("base64url");
}

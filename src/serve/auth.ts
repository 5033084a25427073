import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { matchesRepositoryPattern } from "./auth-file.js";
import { ServeError } from "./errors.js";
import { readBody, sendJson } from "./http.js";
import type { ServeAuth } from "./options.js";
import { type Access, signToken, type TokenClaims, verifyToken } from "./token.js";

/** What a request needs: actions on each resource, or (none) only a valid token, for the /v2/ ping. */
export type Need = readonly Access[];

/** Who a request is from, once authorized. */
export interface Grant {
  /** The user, or undefined when anonymous. */
  readonly user?: string;
  /** Whether the request may pull from a repository (for cross-repository mounts). */
  canPull(name: string): boolean;
}

/** Everything is allowed when the server runs without --auth. */
export const openGrant: Grant = { canPull: () => true };

/**
 * Token auth shaped like GHCR's and Docker Hub's: `/v2/` requests need a bearer token from the
 * server's own `/token` endpoint; without one (or with too little access) they get 401 and a
 * `WWW-Authenticate: Bearer realm=...,service=...,scope=...` challenge. Users get every action
 * they ask for; anonymous tokens get pull on public repositories only.
 * https://distribution.github.io/distribution/spec/auth/token/
 */
export class TokenAuthority {
  private auth: ServeAuth;
  private readonly key = randomBytes(32);
  private readonly service: string;
  private readonly ttl: number;

  constructor(auth: ServeAuth) {
    this.auth = auth;
    this.service = auth.service ?? "crossdock";
    this.ttl = auth.tokenTtlSeconds ?? 300;
  }

  /**
   * Replaces the users and public patterns (a re-read auth file), so a repository can be made
   * public while the server runs. Service, token lifetime and the signing key stay: tokens already
   * issued keep what they were granted until they expire.
   */
  update(auth: ServeAuth): void {
    this.auth = auth;
  }

  /** Checks a /v2/ request's bearer token against what it needs; throws 401 with a challenge. */
  authorize(req: IncomingMessage, need: Need): Grant {
    const header = req.headers.authorization ?? "";
    const claims = header.startsWith("Bearer ")
      ? verifyToken(header.slice(7).trim(), this.key, nowSeconds())
      : undefined;
    const valid = claims !== undefined && claims.typ !== "refresh" && claims.aud === this.service;
    if (!valid || !need.every((access) => allows(claims.access, access))) {
      // Every scope the request needs, space-separated, as distribution's token access controller
      // challenges: https://distribution.github.io/distribution/spec/auth/token/#how-to-authenticate
      const scopes = need.map((access) => `${access.type}:${access.name}:${access.actions.join(",")}`);
      const scope = scopes.length === 0 ? "" : `,scope="${scopes.join(" ")}"`;
      const error = valid ? `,error="insufficient_scope"` : "";
      throw new ServeError("UNAUTHORIZED", "authentication required", {
        detail:
          need.length === 0
            ? null
            : need.map((access) => ({
                Type: access.type,
                Name: access.name,
                Action: access.actions.join(","),
              })),
        headers: {
          "www-authenticate": `Bearer realm="${this.realm(req)}",service="${this.service}"${scope}${error}`,
        },
      });
    }
    const access = claims.access;
    return {
      ...(claims.sub !== "" ? { user: claims.sub } : {}),
      canPull: (name) => allows(access, { type: "repository", name, actions: ["pull"] }),
    };
  }

  /**
   * `GET /token?service=&scope=` (Basic credentials optional: anonymous tokens are allowed) and
   * `POST /token` with a form (`grant_type=password` or `refresh_token`, Docker's OAuth2 flavour).
   * https://distribution.github.io/distribution/spec/auth/token/#requesting-a-token
   * https://distribution.github.io/distribution/spec/auth/oauth/
   */
  async handleTokenRequest(req: IncomingMessage, res: ServerResponse, url: URL): Promise<string | undefined> {
    const ctx = { req, res };
    let params = url.searchParams;
    let user: string | undefined;
    let wantsRefresh = false;
    if (req.method === "POST") {
      params = new URLSearchParams((await readBody(req, 64 * 1024)).toString("utf8"));
      const grantType = params.get("grant_type");
      if (grantType === "password") {
        user = this.login(params.get("username") ?? "", params.get("password") ?? "");
        wantsRefresh = params.get("access_type") === "offline";
      } else if (grantType === "refresh_token") {
        const claims = verifyToken(params.get("refresh_token") ?? "", this.key, nowSeconds());
        if (claims?.typ !== "refresh") throw this.denied("invalid refresh token");
        user = claims.sub;
      } else {
        throw new ServeError("UNSUPPORTED", `unsupported grant_type "${grantType ?? ""}"`, { status: 400 });
      }
    } else if (req.method === "GET") {
      const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? "");
      if (basic !== null) {
        const decoded = Buffer.from(basic[1]!, "base64").toString("utf8");
        const colon = decoded.indexOf(":");
        user = this.login(decoded.slice(0, Math.max(0, colon)), decoded.slice(colon + 1));
      }
    } else {
      throw new ServeError("UNSUPPORTED", "the token endpoint takes GET or POST");
    }
    const requested = params
      .getAll("scope")
      .flatMap((scope) => scope.split(" "))
      .flatMap(parseScope);
    const access = requested
      .map((scope) => ({ ...scope, actions: this.grantable(user, scope) }))
      .filter((scope) => scope.actions.length > 0);
    const iat = nowSeconds();
    const claims: TokenClaims = {
      iss: "crossdock",
      sub: user ?? "",
      aud: this.service,
      iat,
      exp: iat + this.ttl,
      access,
    };
    const token = signToken(claims, this.key);
    const refresh =
      wantsRefresh && user !== undefined
        ? {
            refresh_token: signToken(
              { ...claims, access: [], exp: iat + 86400 * 30, typ: "refresh" },
              this.key,
            ),
          }
        : {};
    sendJson(
      ctx,
      200,
      {
        token,
        access_token: token,
        expires_in: this.ttl,
        issued_at: new Date(iat * 1000).toISOString(),
        ...(req.method === "POST"
          ? { scope: access.map((a) => `${a.type}:${a.name}:${a.actions.join(",")}`).join(" ") }
          : {}),
        ...refresh,
      },
      { "cache-control": "no-store" },
    );
    return user;
  }

  /** The actions of a scope a user (or an anonymous client) may have. */
  private grantable(user: string | undefined, scope: Access): string[] {
    if (user !== undefined) return [...scope.actions];
    const isPublic =
      scope.type === "repository" &&
      this.auth.publicRepositories.some((pattern) => matchesRepositoryPattern(pattern, scope.name));
    return isPublic ? scope.actions.filter((action) => action === "pull") : [];
  }

  /** The user whose password this is; 401 otherwise. */
  private login(name: string, password: string): string {
    const user = this.auth.users.find((candidate) => candidate.name === name);
    const given = createHash("sha256").update(password).digest();
    const expected =
      user?.passwordSha256 !== undefined
        ? Buffer.from(user.passwordSha256, "hex")
        : createHash("sha256")
            .update(user?.password ?? randomBytes(16))
            .digest();
    if (user === undefined || !timingSafeEqual(given, expected))
      throw this.denied("incorrect username or password");
    return user.name;
  }

  private denied(message: string): ServeError {
    return new ServeError("UNAUTHORIZED", message, {
      headers: { "www-authenticate": `Basic realm="${this.service}"` },
    });
  }

  private realm(req: IncomingMessage): string {
    return `http://${req.headers.host ?? "127.0.0.1"}/token`;
  }
}

function allows(granted: readonly Access[], need: Access): boolean {
  return need.actions.every((action) =>
    granted.some(
      (access) =>
        access.type === need.type &&
        access.name === need.name &&
        (access.actions.includes(action) || access.actions.includes("*")),
    ),
  );
}

/** `repository:name:pull,push` (the name may hold colons: a port in a mirror's name). */
function parseScope(scope: string): Access[] {
  const first = scope.indexOf(":");
  const last = scope.lastIndexOf(":");
  if (first <= 0 || last === first) return [];
  const actions = scope
    .slice(last + 1)
    .split(",")
    .filter((a) => a !== "");
  return [{ type: scope.slice(0, first), name: scope.slice(first + 1, last), actions }];
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

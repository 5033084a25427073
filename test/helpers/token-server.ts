import { execFile } from "node:child_process";
import { randomUUID, sign } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/** One token the server issued (or refused), for assertions. */
export interface TokenGrantRecord {
  readonly method: string;
  /** The authenticated user, or undefined for anonymous. */
  readonly user: string | undefined;
  readonly scopes: readonly string[];
  readonly status: number;
  /** The grant type of a POST (`refresh_token`), else undefined. */
  readonly grantType: string | undefined;
}

/** Options of the token server. */
export interface TokenServerOptions {
  /** user -> password accepted with Basic on GET. */
  readonly users?: Readonly<Record<string, string>>;
  /** refresh token -> user accepted by the OAuth2 refresh_token grant (POST). */
  readonly refreshTokens?: Readonly<Record<string, string>>;
  /** Actions anonymous callers get (default: none). */
  readonly anonymousActions?: readonly string[];
}

/** A token server for docker-registry's `auth: token` config, with keys made at test time. */
export interface TokenServer {
  readonly realm: string;
  readonly service: string;
  readonly issuer: string;
  /** Lines to pass as `authYaml` to startDistribution. */
  readonly authYaml: string;
  /** Every token request so far. */
  readonly grants: TokenGrantRecord[];
  /**
   * How long the next tokens live: `jwtSeconds` in the JWT's exp (negative makes them already
   * expired), `expiresIn` as stated to the client.
   */
  setLifetime(jwtSeconds: number, expiresIn: number): void;
  stop(): Promise<void>;
}

/** The registry's clock check forgives this much (distribution's token Leeway). */
export const registryLeewaySeconds = 60;

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString("base64url");
}

/**
 * Starts a token server on a free loopback port: an RSA key and a self-signed certificate are
 * made with openssl, and tokens are RS256 JWTs whose `x5c` header carries that certificate
 * (the registry trusts it through `rootcertbundle`).
 * https://distribution.github.io/distribution/spec/auth/jwt/
 */
export async function startTokenServer(options: TokenServerOptions = {}): Promise<TokenServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "crossdock-token-"));
  const keyPath = path.join(dir, "key.pem");
  const certPath = path.join(dir, "cert.pem");
  await execFileAsync("openssl", [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-sha256",
    "-days",
    "1",
    "-subj",
    "/CN=crossdock-test-token-issuer",
    "-keyout",
    keyPath,
    "-out",
    certPath,
  ]);
  const key = await readFile(keyPath, "utf8");
  const certPem = await readFile(certPath, "utf8");
  const x5c = certPem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "");
  const service = "crossdock-test-registry";
  const issuer = "crossdock-test-issuer";
  const grants: TokenGrantRecord[] = [];
  let jwtSeconds = 300;
  let expiresIn = 300;

  const issue = (user: string | undefined, scopes: readonly string[]): string => {
    const now = Math.floor(Date.now() / 1000);
    const access = scopes.flatMap((scope) => {
      const [type, ...rest] = scope.split(":");
      const actions = (rest.pop() ?? "").split(",").filter((a) => a !== "");
      const name = rest.join(":");
      const granted =
        user !== undefined ? actions : actions.filter((a) => options.anonymousActions?.includes(a));
      return type !== undefined && granted.length > 0 ? [{ type, name, actions: granted }] : [];
    });
    const header = { typ: "JWT", alg: "RS256", x5c: [x5c] };
    const claims = {
      iss: issuer,
      sub: user ?? "",
      aud: service,
      exp: now + jwtSeconds,
      nbf: now - 10,
      iat: now - 10,
      jti: randomUUID(),
      access,
    };
    const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    return `${signingInput}.${base64url(sign("sha256", Buffer.from(signingInput), key))}`;
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      const reply = (
        status: number,
        user: string | undefined,
        scopes: string[],
        grantType?: string,
      ): void => {
        grants.push({ method: req.method ?? "", user, scopes, status, grantType });
        if (status !== 200) {
          res.writeHead(status, { "content-type": "application/json" });
          res.end(JSON.stringify({ errors: [{ code: "UNAUTHORIZED", message: "bad credentials" }] }));
          return;
        }
        const token = issue(user, scopes);
        res.writeHead(200, { "content-type": "application/json" });
        const body = req.method === "POST" ? { access_token: token } : { token, access_token: token };
        res.end(JSON.stringify({ ...body, expires_in: expiresIn, issued_at: new Date().toISOString() }));
      };
      if (req.method === "POST") {
        const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
        const scopes = (form.get("scope") ?? "").split(" ").filter((s) => s !== "");
        const user = options.refreshTokens?.[form.get("refresh_token") ?? ""];
        const ok =
          form.get("grant_type") === "refresh_token" && user !== undefined && form.get("service") === service;
        reply(ok ? 200 : 401, user, scopes, form.get("grant_type") ?? undefined);
        return;
      }
      const scopes = url.searchParams.getAll("scope");
      const authorization = req.headers.authorization;
      if (authorization === undefined) {
        reply(200, undefined, scopes);
        return;
      }
      const decoded = Buffer.from(authorization.replace(/^Basic /, ""), "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      const user = decoded.slice(0, colon);
      const ok = colon > 0 && options.users?.[user] === decoded.slice(colon + 1);
      reply(ok ? 200 : 401, ok ? user : undefined, scopes);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const realm = `http://127.0.0.1:${port}/token`;
  const authYaml = [
    "  token:",
    `    realm: ${realm}`,
    `    service: ${service}`,
    `    issuer: ${issuer}`,
    `    rootcertbundle: ${certPath}`,
  ].join("\n");
  return {
    realm,
    service,
    issuer,
    authYaml,
    grants,
    setLifetime(jwt: number, stated: number) {
      jwtSeconds = jwt;
      expiresIn = stated;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

import type { ErrorCode } from "../../errors.js";
import type { Credential } from "../credentials/types.js";
import { RegistryError, redactUrl } from "../errors.js";
import { isLoopbackHost } from "../hosts.js";
import { readErrorBody, readLimited } from "../response.js";
import { describeFailure, isTransientFailure } from "../retry.js";
import type { RequestStats } from "../stats.js";
import type { Transport } from "../transport.js";
import type { Challenge } from "./challenge.js";
import { type CachedToken, refreshTimeOf } from "./token-cache.js";

/**
 * A token lives 60 s when the server does not say: the token spec's default.
 * https://distribution.github.io/distribution/spec/auth/token/#token-response-fields
 */
const defaultTokenLifetimeSeconds = 60;
/** Token responses are small JSON documents; more than this is not a token server. */
const tokenResponseLimit = 1024 * 1024;

/** What a token request needs. */
export interface TokenRequest {
  readonly registry: string;
  readonly challenge: Challenge;
  readonly scopes: readonly string[];
  readonly credential: Credential | undefined;
  /** Where the credential came from, for messages (never the secret). */
  readonly credentialOrigin: string;
  readonly clientId: string;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Gets a bearer token from the realm the registry's challenge named: GET with basic credentials
 * (or anonymously), or the OAuth2 refresh-token grant (POST) for an identity token.
 * https://distribution.github.io/distribution/spec/auth/token/
 * https://distribution.github.io/distribution/spec/auth/oauth/
 */
export async function requestToken(
  transport: Transport,
  stats: RequestStats,
  req: TokenRequest,
): Promise<CachedToken> {
  // The transport retries a request that got no answer or a 5xx; an answer that breaks off
  // mid-body or arrives garbled (a 200 without a readable token) is asked for again here, as
  // every other kind of request is, within the same bound.
  for (let attempt = 0; ; attempt++) {
    try {
      return await requestTokenOnce(transport, stats, req);
    } catch (error) {
      const broken = isTransientFailure(error) || (error instanceof RegistryError && error.status === 200);
      if (!broken || req.signal?.aborted) throw error;
      if (attempt < transport.maxRetries) {
        await transport.pauseBeforeRetry(req.registry, attempt, req.signal);
        continue;
      }
      const realm = req.challenge.params["realm"] ?? "";
      const reason =
        error instanceof RegistryError
          ? `the token server's answer was unreadable ${attempt + 1} times (${describeFailure(error.cause ?? error)})`
          : `the token server's answer broke off (${describeFailure(error)})`;
      throw authError(req, "AUTH_FAILED", reason, realm);
    }
  }
}

async function requestTokenOnce(
  transport: Transport,
  stats: RequestStats,
  req: TokenRequest,
): Promise<CachedToken> {
  const realmText = req.challenge.params["realm"];
  let realm: URL;
  try {
    realm = new URL(realmText ?? "");
  } catch {
    throw authError(req, "AUTH_CHALLENGE", `its challenge names no valid token realm`, realmText ?? "");
  }
  if (realm.protocol !== "https:" && realm.protocol !== "http:") {
    throw authError(req, "AUTH_CHALLENGE", `its token realm is not HTTP(S)`, realm.toString());
  }
  const credential = req.credential?.kind === "registry-token" ? undefined : req.credential;
  if (credential !== undefined && realm.protocol === "http:" && !isLoopbackHost(realm.host)) {
    throw authError(
      req,
      "INSECURE_CREDENTIALS",
      `refusing to send credentials over plain HTTP to token realm ${realm.host}`,
      realm.toString(),
    );
  }
  const service = req.challenge.params["service"];
  const scopes = req.scopes.length > 0 ? req.scopes : (req.challenge.params["scope"]?.split(" ") ?? []);
  stats.count(req.registry, "token");
  const startedAt = Date.now();
  let status: number;
  let bodyText: string;
  let headers: Record<string, string>;
  if (credential?.kind === "identity-token") {
    const form = new URLSearchParams({ grant_type: "refresh_token", refresh_token: credential.token });
    if (service !== undefined) form.set("service", service);
    form.set("client_id", req.clientId);
    if (scopes.length > 0) form.set("scope", scopes.join(" "));
    headers = { "content-type": "application/x-www-form-urlencoded" };
    const res = await transport.send({
      registry: req.registry,
      method: "POST",
      url: realm,
      headers,
      body: Buffer.from(form.toString()),
      retryable: true,
      signal: req.signal,
    });
    status = res.status;
    bodyText =
      status === 200 ? await readLimited(res.body, tokenResponseLimit) : await readErrorBody(res.body);
  } else {
    const url = new URL(realm);
    if (service !== undefined) url.searchParams.set("service", service);
    for (const scope of scopes) url.searchParams.append("scope", scope);
    headers = {};
    if (credential?.kind === "basic") {
      url.searchParams.set("account", credential.username);
      headers["authorization"] =
        `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString("base64")}`;
    }
    const res = await transport.send({
      registry: req.registry,
      method: "GET",
      url,
      headers,
      retryable: true,
      signal: req.signal,
    });
    status = res.status;
    bodyText =
      status === 200 ? await readLimited(res.body, tokenResponseLimit) : await readErrorBody(res.body);
  }
  if (status !== 200) {
    const code = status === 401 ? "UNAUTHORIZED" : status === 403 ? "DENIED" : "AUTH_FAILED";
    throw authError(req, code, `token server answered ${status}`, realm.toString(), status);
  }
  let parsed: { token?: unknown; access_token?: unknown; expires_in?: unknown };
  try {
    parsed = JSON.parse(bodyText) as typeof parsed;
  } catch {
    // Not the parse error as cause: its message quotes the body, which may echo the credentials.
    throw authError(req, "AUTH_FAILED", "token server sent no JSON", realm.toString(), status);
  }
  const token = typeof parsed.token === "string" ? parsed.token : parsed.access_token;
  if (typeof token !== "string" || token === "") {
    throw authError(req, "AUTH_FAILED", "token server sent no token", realm.toString(), status);
  }
  const expiresIn =
    typeof parsed.expires_in === "number" && parsed.expires_in > 0
      ? parsed.expires_in
      : defaultTokenLifetimeSeconds;
  return { token, refreshAt: refreshTimeOf(startedAt, expiresIn) };
}

function authError(
  req: TokenRequest,
  code: ErrorCode,
  reason: string,
  url: string,
  status?: number,
  cause?: unknown,
): RegistryError {
  // credentialOrigin already says what it is ("credentials for ghcr.io from ...").
  const source = req.credential !== undefined ? req.credentialOrigin : "no credentials";
  return new RegistryError({
    code,
    message: `authentication to ${req.registry} failed: ${reason} (${source})`,
    host: req.registry,
    url: redactUrl(url),
    ...(status !== undefined ? { status } : {}),
    temporary: status !== undefined && status >= 500,
    cause,
  });
}

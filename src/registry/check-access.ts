import type { Reference } from "../reference/reference.js";
import { pushScope } from "./auth/scope.js";
import { RegistryError } from "./errors.js";
import { discardBody } from "./response.js";
import type { RegistrySession } from "./session.js";

/**
 * What a registry grants on one repository, learned without writing anything:
 * - `open`: it asked for no credentials at all;
 * - `basic`: it takes Basic auth, whose scopes cannot be read without trying a write;
 * - `token`: a bearer token was issued; `actions` are those its JWT `access` claim grants on the
 *   repository, or undefined when the token is not a JWT (opaque tokens say nothing);
 * - `refused`: the registry or its token server turned the credentials down.
 */
export type AccessCheck =
  | { readonly kind: "open" }
  | { readonly kind: "basic" }
  | { readonly kind: "token"; readonly actions: readonly string[] | undefined }
  | { readonly kind: "refused"; readonly status: number; readonly message: string };

/**
 * Asks the registry for a token scoped `repository:<name>:pull,push` (through a GET /v2/, which a
 * token for any scope opens) and reads what the token grants. Distribution's token server issues
 * JWTs whose `access` claim lists the granted actions per resource; a server grants fewer actions
 * than asked rather than failing.
 * https://distribution.github.io/distribution/spec/auth/jwt/
 * https://distribution.github.io/distribution/spec/auth/token/#requesting-a-token
 * Throws a RegistryError when the registry cannot be reached at all.
 */
export async function checkAccess(
  session: RegistrySession,
  repo: Reference,
  signal?: AbortSignal,
): Promise<AccessCheck> {
  const registry = repo.domain;
  const scopes = [pushScope(repo.path)];
  let status: number;
  try {
    const res = await session.send({
      registry,
      method: "GET",
      target: "/v2/",
      scopes,
      stat: "other",
      retryable: true,
      signal,
    });
    status = res.status;
    await discardBody(res.body).catch(() => undefined);
  } catch (error) {
    if (error instanceof RegistryError && (error.status === 401 || error.status === 403)) {
      return { kind: "refused", status: error.status, message: error.message };
    }
    throw error;
  }
  const scheme = session.authScheme(registry);
  if (status === 401 || status === 403) {
    return { kind: "refused", status, message: `${registry} answered ${status} to GET /v2/` };
  }
  if (status !== 200) {
    throw new RegistryError({
      code: "UNSUPPORTED",
      message: `${registry} answered ${status} to GET /v2/: not an OCI registry?`,
      host: registry,
      url: `${session.origin(registry).origin}/v2/`,
      status,
    });
  }
  if (scheme === undefined) return { kind: "open" };
  if (scheme === "basic") return { kind: "basic" };
  const authorization = await session.authorization(registry, scopes, signal);
  return { kind: "token", actions: grantedActions(authorization?.replace(/^Bearer /, ""), repo.path) };
}

/**
 * The actions a JWT's `access` claim grants on `repository:<name>`, or undefined when the token is
 * not a readable JWT. The signature is not checked: the registry does that; this only reads.
 */
export function grantedActions(token: string | undefined, name: string): string[] | undefined {
  const payload = token?.split(".")[1];
  if (token?.split(".").length !== 3 || payload === undefined) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  if (typeof claims !== "object" || claims === null) return undefined;
  const access = (claims as { access?: unknown }).access;
  if (!Array.isArray(access)) return [];
  const actions = new Set<string>();
  for (const entry of access as { type?: unknown; name?: unknown; actions?: unknown }[]) {
    if (entry?.type !== "repository" || entry.name !== name || !Array.isArray(entry.actions)) continue;
    for (const action of entry.actions) if (typeof action === "string") actions.add(action);
  }
  return [...actions];
}

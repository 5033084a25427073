import { secretForms } from "../../redact-secrets.js";
import type { Credential, CredentialSource } from "../credentials/types.js";
import { RegistryError, redactUrl } from "../errors.js";
import { isLoopbackHost, registryKeyOf } from "../hosts.js";
import type { RequestStats } from "../stats.js";
import type { Transport } from "../transport.js";
import { type Challenge, parseChallenges, pickChallenge } from "./challenge.js";
import { TokenCache } from "./token-cache.js";
import { requestToken } from "./token-request.js";

/** What an Authenticator needs. */
export interface AuthenticatorOptions {
  readonly transport: Transport;
  readonly stats: RequestStats;
  readonly credentials: CredentialSource | undefined;
  /** The OAuth2 client_id sent with refresh-token grants. */
  readonly clientId: string;
}

/**
 * Computes the Authorization header for requests to a registry's own origin: none until the
 * registry challenges; Basic when it asks for Basic; a bearer token from the realm its challenge
 * named otherwise (cached per scope set, refreshed before it expires and once after a 401).
 * Holds the challenges and tokens of one client: explicit state, never global.
 */
export class Authenticator {
  readonly #options: AuthenticatorOptions;
  readonly #challenges = new Map<string, Challenge>();
  readonly #open = new Set<string>();
  readonly #tokens = new TokenCache();
  /** Per registry, every secret sent to it (credentials, their Basic pair, tokens): for redaction. */
  readonly #sent = new Map<string, Set<string>>();

  constructor(options: AuthenticatorOptions) {
    this.#options = options;
  }

  /**
   * Whether the registry's auth is known: it challenged, or it answered the `/v2/` probe without
   * one (so a one-shot streamed request can be sent without probing again).
   */
  knows(registry: string): boolean {
    const key = registryKeyOf(registry);
    return this.#challenges.has(key) || this.#open.has(key);
  }

  /** Records that the registry answered the probe without a challenge. */
  noteOpen(registry: string): void {
    this.#open.add(registryKeyOf(registry));
  }

  /** Records a 401's `WWW-Authenticate`; true when it is a challenge crossdock can answer. */
  learn(registry: string, header: string | string[] | undefined): boolean {
    const challenge = pickChallenge(parseChallenges(header));
    if (challenge === undefined) return false;
    this.#challenges.set(registryKeyOf(registry), challenge);
    return true;
  }

  /** Every secret sent to the registry so far, in the forms it travelled in, for redactSecrets. */
  secretsSentTo(registry: string): string[] {
    return [...(this.#sent.get(registryKeyOf(registry)) ?? [])];
  }

  #note(registry: string, secrets: readonly string[]): void {
    const key = registryKeyOf(registry);
    const known = this.#sent.get(key) ?? new Set<string>();
    for (const secret of secrets) known.add(secret);
    this.#sent.set(key, known);
  }

  /** The scheme the registry challenged with (`bearer`, `basic`), or undefined before or without a challenge. */
  scheme(registry: string): string | undefined {
    return this.#challenges.get(registryKeyOf(registry))?.scheme;
  }

  /** Where the registry's credentials come from (never the secret), for messages. */
  describe(registry: string): string {
    return this.#options.credentials?.describe(registry) ?? "no credential source";
  }

  /**
   * The Authorization header for a request to `origin` (the registry's own) needing `scopes`,
   * or undefined for anonymous. `refresh` fetches a new token even when one is cached (after a 401).
   */
  async authorization(
    registry: string,
    origin: URL,
    scopes: readonly string[],
    options: { refresh?: boolean; signal?: AbortSignal | undefined } = {},
  ): Promise<string | undefined> {
    const challenge = this.#challenges.get(registryKeyOf(registry));
    if (challenge === undefined) return undefined;
    const credential = await this.#options.credentials?.get(registry, options.signal);
    if (credential !== undefined) this.#note(registry, credentialSecrets(credential));
    if (challenge.scheme === "basic") {
      if (credential?.kind !== "basic") return undefined;
      if (origin.protocol === "http:" && !isLoopbackHost(origin.host)) {
        throw new RegistryError({
          code: "INSECURE_CREDENTIALS",
          message: `refusing to send credentials for ${registry} over plain HTTP (only loopback registries may get them unencrypted)`,
          host: registry,
          url: redactUrl(origin),
        });
      }
      return `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString("base64")}`;
    }
    // A registry token is already a bearer token for this registry: no realm round trip.
    if (credential?.kind === "registry-token") return `Bearer ${credential.token}`;
    const token = await this.#tokens.get(
      registryKeyOf(registry),
      scopes,
      () =>
        requestToken(this.#options.transport, this.#options.stats, {
          registry,
          challenge,
          scopes,
          credential,
          credentialOrigin: this.describe(registry),
          clientId: this.#options.clientId,
          signal: options.signal,
        }),
      { force: options.refresh === true },
    );
    this.#note(registry, [token]);
    return `Bearer ${token}`;
  }
}

/** The secret of a credential in each form it may travel in. */
function credentialSecrets(credential: Credential): string[] {
  switch (credential.kind) {
    case "basic":
      return secretForms(credential.username, credential.password);
    case "identity-token":
      return secretForms(credential.username, credential.token);
    case "registry-token":
      return [credential.token];
  }
}

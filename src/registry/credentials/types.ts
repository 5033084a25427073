/**
 * A credential for one registry, as the auth handshake needs it. The secret fields are the only
 * place a secret lives: never put one in a message (see `describeCredential` for a safe summary).
 */
export type Credential =
  /** A user name and password (or personal access token) for HTTP basic auth or a token request. */
  | { readonly kind: "basic"; readonly username: string; readonly password: string }
  /**
   * Docker's `identitytoken`: an OAuth2 refresh token, exchanged at the token endpoint
   * (`grant_type=refresh_token`) for a bearer token.
   */
  | { readonly kind: "identity-token"; readonly username?: string; readonly token: string }
  /** A bearer token to send as is (`Authorization: Bearer <token>`). */
  | { readonly kind: "registry-token"; readonly token: string };

/** Where credentials for a registry host come from: environment, docker config, podman auth file. */
export interface CredentialSource {
  /**
   * The credential for `host` (`ghcr.io`, `localhost:5000`, any Docker Hub alias; a URL or a
   * `host/namespace` path is accepted too), or undefined when none is configured.
   * Results are cached per host for the life of the source.
   */
  get(host: string, signal?: AbortSignal): Promise<Credential | undefined>;
  /** Where the credential for `host` comes (or would come) from, for messages. Never the secret. */
  describe(host: string): string;
}

/** A credential and where it was found (for `describe()` and error messages; never the secret). */
export interface FoundCredential {
  readonly credential: Credential;
  /** E.g. `auths["ghcr.io"] in /home/me/.docker/config.json`. */
  readonly origin: string;
}

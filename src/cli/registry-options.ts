import { RegistryClient } from "../registry/client.js";
import { createCredentialSource } from "../registry/credentials/index.js";
import type { RegistryFlags } from "./registry-flags.js";

/** What crossdock.yaml adds to a client: insecure hosts and the environment variables that hold credentials. */
export interface ClientConfig {
  readonly insecureRegistries: readonly string[];
  credentialEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
}

/**
 * A client for a CLI command: credentials from the environment (through crossdock.yaml's
 * variable names when there is a config), the docker config and podman's auth files.
 */
export function createClient(opts: RegistryFlags, config?: ClientConfig): RegistryClient {
  return new RegistryClient({
    insecureHosts: [...(opts.insecureRegistry ?? []), ...(config?.insecureRegistries ?? [])],
    credentials: createCredentialSource(config ? { env: config.credentialEnv(process.env) } : {}),
  });
}

/** A client with no credentials at all: what a stranger's `docker pull` sees. */
export function createAnonymousClient(opts: RegistryFlags, config?: ClientConfig): RegistryClient {
  return new RegistryClient({
    insecureHosts: [...(opts.insecureRegistry ?? []), ...(config?.insecureRegistries ?? [])],
  });
}

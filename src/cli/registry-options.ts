import type { Command } from "commander";
import { RegistryClient } from "../registry/client.js";
import { createCredentialSource } from "../registry/credentials/index.js";
import { collectValues } from "./collect-values.js";

/** The registry flags every command that talks to registries shares. */
export interface RegistryFlags {
  /** `--insecure-registry HOST`, repeatable. */
  readonly insecureRegistry?: readonly string[];
}

/** Adds the shared registry flags (`--insecure-registry HOST`, repeatable) to a command. */
export function addRegistryOptions(cmd: Command): Command {
  return cmd.option(
    "--insecure-registry <host>",
    "plain HTTP or unverified TLS for this registry host (repeatable; loopback needs no flag)",
    collectValues,
  );
}

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

import type { Command } from "commander";
import { RegistryClient } from "../registry/client.js";
import { createCredentialSource } from "../registry/credentials/index.js";

/** The registry flags every command that talks to registries shares. */
export interface RegistryFlags {
  /** `--insecure-registry HOST`, repeatable. */
  readonly insecureRegistry?: readonly string[];
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Adds the shared registry flags (`--insecure-registry HOST`, repeatable) to a command. */
export function addRegistryOptions(cmd: Command): Command {
  return cmd.option(
    "--insecure-registry <host>",
    "plain HTTP or unverified TLS for this registry host (repeatable; loopback needs no flag)",
    collect,
  );
}

/** A client for a CLI command: credentials from the environment, docker and podman config. */
export function createClient(opts: RegistryFlags): RegistryClient {
  return new RegistryClient({
    insecureHosts: opts.insecureRegistry ?? [],
    credentials: createCredentialSource(),
  });
}

import type { Command } from "commander";
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

import type { TagPolicy } from "../../copy/tag-filter.js";
import type { MappingRule, Prefix } from "../../reference/mapping.js";
import type { CategoryOverride } from "../../scan/categorize.js";

/** One `mappings:` entry of crossdock.yaml: where names move, which repositories, which tags. */
export interface ConfigMapping {
  readonly rule: MappingRule;
  /**
   * Repository paths under `rule.from` (`katib-controller`) that sync copies when the source has no
   * catalog to list them (Docker Hub has none). Absent: the caller finds them (catalog or scan).
   */
  readonly repositories?: readonly string[];
  /** Which tags to copy; `{}` copies every tag. */
  readonly policy: TagPolicy;
}

/**
 * How a mirrored image's path under the mirror prefix is made (see mirrorPath): `with-host` keeps a
 * registry other than Docker Hub as the first component (`quay.io/org/app`), `without-host` drops it.
 */
export type MirrorPathRule = "with-host" | "without-host";

/** What happens to images nobody here owns, wherever they are used: left where they are, or mirrored under a prefix. */
export type ThirdPartyPolicy =
  | { readonly action: "leave" }
  | { readonly action: "mirror"; readonly mirror: Prefix; readonly path: MirrorPathRule };

/** One `registries:` entry: how to reach a host. Only the names of variables are kept, never their values. */
export interface RegistrySettings {
  /** Canonical host (`docker.io` for any Docker Hub alias), with its port. */
  readonly host: string;
  /** Plain HTTP or unverified TLS, as `--insecure-registry HOST`. */
  readonly insecure: boolean;
  /** Name of the environment variable holding the user name. */
  readonly usernameEnv?: string;
  /** Name of the environment variable holding the password or personal access token. */
  readonly passwordEnv?: string;
  /** Name of the environment variable holding a registry (bearer) token. */
  readonly tokenEnv?: string;
}

/** The phases of a migration (DESIGN.md), in order; `phase:` in crossdock.yaml records the current one. */
export const phases = ["prepare", "parallel", "switch", "maintain"] as const;

/** One phase of a migration. */
export type Phase = (typeof phases)[number];

/** A validated crossdock.yaml. Every default is resolved: absent sections are empty or "leave". */
export interface CrossdockConfig {
  /** The file it was read from, for messages. */
  readonly file: string;
  /** The mapping rules, in file order (the same rules as `mappings[].rule`). */
  readonly rules: readonly MappingRule[];
  readonly mappings: readonly ConfigMapping[];
  readonly thirdParty: ThirdPartyPolicy;
  readonly registries: readonly RegistrySettings[];
  /** Hosts marked `insecure: true`. */
  readonly insecureRegistries: readonly string[];
  /** gitignore-style patterns of the files to scan and rewrite (`["**"]` by default). */
  readonly include: readonly string[];
  /** gitignore-style patterns of files to leave alone, on top of .gitignore. */
  readonly exclude: readonly string[];
  /** Forced owner and usage by normalized image name, or by prefix for keys written with a trailing '/'. */
  readonly categoryOverrides: ReadonlyMap<string, CategoryOverride>;
  /** The phase recorded (`phase:`), absent when the file records none. */
  readonly phase?: Phase;
  /**
   * A copy of `env` where each registry's `usernameEnv`/`passwordEnv`/`tokenEnv` values appear under
   * the `CROSSDOCK_AUTH_<HOST>_*` names the credential source reads (pass it as
   * `createCredentialSource({ env })`). Values are copied, never logged or put in a message.
   */
  credentialEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
}

import type { CopyEvent } from "../copy/events.js";
import type { MappingRule } from "../reference/mapping.js";
import type { RegistryClient } from "../registry/client.js";
import type { Login } from "../scan/types.js";
import type { VerifyResult } from "../verify/verify.js";
import type { CrossdockConfig } from "./config/types.js";
import type { CopyOutcome } from "./report.js";

/** Options of migrate. */
export interface MigrateOptions {
  /** The repository. */
  readonly dir: string;
  /** Extra `--map` rules; the config in `dir` (crossdock.yaml) is read too. */
  readonly rules?: readonly MappingRule[];
  /** A config already loaded (else crossdock.yaml in `dir`, if any). */
  readonly config?: CrossdockConfig;
  /** A client with credentials for both sides. */
  readonly client: RegistryClient;
  /** A client without credentials, for the public-pull check. */
  readonly anonymousClient: RegistryClient;
  /** Also copy every tag of the project's own images (filtered by the mapping's tag policy). */
  readonly allTags?: boolean;
  /** Decide with HEAD requests, write nothing: no copy, no rewrite, no lock. */
  readonly dryRun?: boolean;
  /** Images copied at once. Default 4, as sync. */
  readonly jobs?: number;
  /** Where to write the Markdown report; default `crossdock-report.md` in `dir`. */
  readonly reportFile?: string;
  readonly onEvent?: (event: CopyEvent) => void;
  readonly onStep?: (message: string) => void;
  readonly signal?: AbortSignal;
}

/** What a migration did. */
export interface MigrateResult {
  readonly ok: boolean;
  readonly lockFile?: string;
  readonly reportFile?: string;
  /** The Markdown report, ready to paste into a pull request. */
  readonly report: string;
  readonly filesChanged: number;
  readonly edits: number;
  readonly attentionCount: number;
  /** One line per thing that went wrong. */
  readonly failures: readonly string[];
  readonly copies: readonly CopyOutcome[];
  readonly verify?: VerifyResult;
  /** CI log-ins to a registry the mappings move away from: run `crossdock ci github` (see findStaleLogins). */
  readonly staleLogins?: readonly Login[];
}

import { promises as fs } from "node:fs";
import { UsageError } from "../errors.js";
import type { CrossdockConfig, ThirdPartyPolicy } from "../migrate/config/types.js";
import { type MappingRule, parseMappingRule } from "../reference/mapping.js";
import type { ScanOptions } from "../scan/scan-repository.js";

/** What a repository-level command needs: the rules (`--map` plus crossdock.yaml) and the scan's options. */
export interface ProjectSettings {
  readonly rules: MappingRule[];
  readonly scan: Omit<ScanOptions, "rules" | "signal">;
  readonly config?: CrossdockConfig;
  /** The config's `thirdParty:` (every command applies it the same way: scanProject). */
  readonly thirdParty?: ThirdPartyPolicy;
  /** Whether there is anything to move: a rule, or third-party images to mirror. */
  readonly moves: boolean;
}

/**
 * Reads the settings of the repository in `dir`: `--map` rules first, then crossdock.yaml (the
 * `--config` file, or the one found in DIR), whose include/exclude and category overrides shape
 * the scan. crossdock's own files (config, lock, report) are never scanned: they name the
 * source prefixes on purpose. A missing directory or a bad rule is a UsageError (exit 2).
 */
export async function loadProjectSettings(
  dir: string,
  flags: { map?: readonly string[]; config?: string },
): Promise<ProjectSettings> {
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat?.isDirectory()) throw new UsageError(`${dir}: not a directory`);
  const rules: MappingRule[] = (flags.map ?? []).map(parseMappingRule);
  // The config reader (and its YAML parser) loads with the command that needs it, not at start-up.
  const { findConfig, loadConfig } = await import("../migrate/config/load-config.js");
  const { scanSettingsOf } = await import("../scan/crossdock-files.js");
  const configFile = flags.config ?? (await findConfig(dir));
  if (configFile === undefined) return { rules, scan: scanSettingsOf(), moves: rules.length > 0 };
  const config = await loadConfig(configFile);
  rules.push(...config.rules);
  const { thirdParty } = config;
  const moves = rules.length > 0 || thirdParty.action === "mirror";
  return { rules, config, thirdParty, scan: scanSettingsOf(config), moves };
}

import type { CategoryOverride } from "./categorize.js";

/**
 * Files crossdock itself writes at a repository's root (config, lock, report), as gitignore-style
 * patterns: they name the source prefixes on purpose and are never scanned or rewritten.
 */
export const crossdockFiles: readonly string[] = [
  "/crossdock.yaml",
  "/crossdock.yml",
  "/crossdock.lock",
  "/crossdock-report.md",
];

/** The config's say over a scan: its include/exclude patterns and category overrides. */
export interface ConfigScanSettings {
  readonly include?: readonly string[];
  readonly exclude: readonly string[];
  readonly categoryOverrides?: ReadonlyMap<string, CategoryOverride>;
}

/**
 * The scan options a repository-level command uses: the config's include/exclude and category
 * overrides (when there is a config), and crossdock's own files always left out.
 */
export function scanSettingsOf(config?: ConfigScanSettings): ConfigScanSettings {
  if (!config) return { exclude: crossdockFiles };
  return {
    ...(config.include ? { include: config.include } : {}),
    exclude: [...config.exclude, ...crossdockFiles],
    ...(config.categoryOverrides ? { categoryOverrides: config.categoryOverrides } : {}),
  };
}

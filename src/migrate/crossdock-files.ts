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

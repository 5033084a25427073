import { UsageError } from "../../errors.js";

/** One problem found in a config file, placed at the line and column of the offending YAML node. */
export interface ConfigIssue {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
  /** The field path, such as `mappings[0].tags.semver` ("" for the document itself or a YAML syntax error). */
  readonly path: string;
  /** What is wrong, without the file, place or path. Never holds a credential value. */
  readonly message: string;
}

/**
 * A config file that cannot be used: every problem found, one per line of the message, each as
 * `file:line:column: path: message`. A UsageError, so the CLI exits 2 having touched nothing.
 */
export class ConfigError extends UsageError {
  readonly file: string;
  readonly issues: readonly ConfigIssue[];

  constructor(file: string, issues: readonly ConfigIssue[], options?: { cause?: unknown }) {
    super(issues.map((issue) => formatConfigIssue(file, issue)).join("\n"), {
      ...options,
      code: "CONFIG_INVALID",
    });
    this.file = file;
    this.issues = issues;
  }
}

/** `file:line:column: path: message`, the form editors and CI annotations jump to. */
export function formatConfigIssue(file: string, issue: ConfigIssue): string {
  const where = `${file}:${issue.line}:${issue.column}`;
  return issue.path === "" ? `${where}: ${issue.message}` : `${where}: ${issue.path}: ${issue.message}`;
}

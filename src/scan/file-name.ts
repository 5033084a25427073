import type { ExtractContext, Finding } from "./types.js";

/** An extractor: a pure function from a file's text to its findings. */
export type Extractor = (text: string, context: ExtractContext) => Finding[];

/** A file's name as detection reads it: the path, its last segment (as is and in lower case), its extension. */
export interface FileName {
  /** The path relative to the repository root, with `/` separators. */
  readonly path: string;
  readonly base: string;
  readonly lower: string;
  /** The lower-case text after the last dot of `base`, or "" when there is none. */
  readonly ext: string;
}

/**
 * A format's detection: the extractors for a file the format claims, most specific first (when two
 * report the same span, the first wins), or undefined when the format does not claim the file.
 */
export type DetectFormat = (name: FileName, text: string) => Extractor[] | undefined;

/** Splits a path into what detection reads: base name, lower-case base name, extension. */
export function fileNameOf(file: string): FileName {
  const base = file.slice(file.lastIndexOf("/") + 1);
  const lower = base.toLowerCase();
  const ext = lower.includes(".") ? lower.slice(lower.lastIndexOf(".") + 1) : "";
  return { path: file, base, lower, ext };
}

/** Whether a file is YAML by its extension: every YAML form claims only such files. */
export function isYamlName(name: FileName): boolean {
  return name.ext === "yaml" || name.ext === "yml";
}

/** Whether a file sits in a Helm chart's `templates/` directory (at any depth). */
export function inTemplatesDirectory(name: FileName): boolean {
  return /(?:^|\/)templates\//.test(name.path);
}

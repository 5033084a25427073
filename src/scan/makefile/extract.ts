import { scanFreeText } from "../engine/free-text.js";
import type { ExtractContext, Finding } from "../types.js";

/**
 * Makefiles: `docker build -t`/`push`/`pull`/`tag`/`run` in recipes, `IMG ?= ...` (an image),
 * `REGISTRY ?= ...`/`*_PREFIX = ...` (a bare prefix unless tagged), and known-registry names. An
 * assignment later built as `$(IMG)` is marked as a build.
 */
export function extractMakefile(text: string, context: ExtractContext): Finding[] {
  return scanFreeText(text, 0, text.length, "makefile", context, { commands: true, assignments: true });
}

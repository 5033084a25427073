import { detectExtractors, type Extractor } from "./detect.js";
import { freeTextMayFind } from "./engine/free-text.js";
import { jsonMayFind } from "./engine/json/images.js";
import { extractHelmTemplate } from "./helm-template/extract.js";
import { extractJson } from "./json/extract.js";
import { extractMakefile } from "./makefile/extract.js";
import { extractShell } from "./shell/extract.js";
import type { ExtractContext } from "./types.js";

/**
 * For extractors that read a whole file whatever it holds, the words they cannot find a reference
 * without. The others need no pre-filter: source, Markdown, reStructuredText and the YAML forms stop
 * at their own first check (`mayHoldReference` or a `HintIndex`), and checking before them would
 * only read the file twice. Dockerfiles (`from` in any case) nearly always pass; notebooks join
 * each cell from several JSON strings, so a word may be split between two of them.
 */
const scriptMayFind = (text: string, ctx: ExtractContext) =>
  freeTextMayFind(text, ctx, { commands: true, assignments: true });
const needs: ReadonlyMap<Extractor, (text: string, ctx: ExtractContext) => boolean> = new Map([
  [extractJson, jsonMayFind],
  [extractShell, scriptMayFind],
  [extractMakefile, scriptMayFind],
  [extractHelmTemplate, (text, ctx) => freeTextMayFind(text, ctx, { commands: true })],
]);

/**
 * Whether `scanText` may find a reference in a file: false only when no extractor for it could
 * (none applies, or the file lacks every word they need). `scanRepository` skips such files; a
 * test checks that it never skips one `scanText` finds a reference in.
 */
export function mayFindReferences(
  file: string,
  text: string,
  ctx: ExtractContext,
  extractors: readonly Extractor[] = detectExtractors(file, text),
): boolean {
  return extractors.some((extract) => {
    const need = needs.get(extract);
    return need === undefined || need(text, ctx);
  });
}

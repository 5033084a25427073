import { scanFreeText } from "../free-text.js";
import { HintIndex } from "../hints.js";
import type { ExtractContext, Finding, Form } from "../types.js";

/**
 * References in a YAML file's whole-line comments: commented-out examples (`# image:
 * docker.io/org/app:v1`, `#   repository: ...`) that the parser never sees. Reported with a
 * context that says so, so a rewrite keeps the documentation in step with the live fields.
 */
export function scanYamlComments(text: string, ctx: ExtractContext, form: Form): Finding[] {
  const hints = new HintIndex(text, 0, text.length, ctx);
  const out: Finding[] = [];
  let at = 0;
  for (let hint = hints.next(at); hint !== -1; hint = hints.next(at)) {
    const lineStart = text.lastIndexOf("\n", hint - 1) + 1;
    const nl = text.indexOf("\n", hint);
    const lineEnd = nl === -1 ? text.length : nl;
    at = lineEnd + 1;
    const hash = text.indexOf("#", lineStart);
    if (hash === -1 || hash >= hint || text.slice(lineStart, hash).trim() !== "") continue;
    for (const found of scanFreeText(text, hash + 1, lineEnd, form, ctx, { hints, bareNames: false })) {
      out.push({ ...found, context: `in a comment (${found.context})` });
    }
  }
  return out;
}

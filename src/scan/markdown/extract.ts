import { scanFreeText } from "../engine/free-text.js";
import { HintIndex } from "../engine/hints.js";
import type { ExtractContext, Finding, Form } from "../types.js";

/**
 * Markdown: fenced code blocks and inline code are read as commands and manifests (`docker pull`,
 * `image:`, `FROM`); prose only yields names with a known registry host or under a `--map` rule.
 */
export function extractMarkdown(text: string, context: ExtractContext): Finding[] {
  return scanDocument(text, context, "markdown", markdownCode);
}

/**
 * Scans a document given how to find the spans of its code (read as commands) and treats the rest
 * as prose. The code is looked for only in a document with a hint.
 */
export function scanDocument(
  text: string,
  context: ExtractContext,
  form: Form,
  findCode: (text: string) => CodeSpan[],
): Finding[] {
  const hints = new HintIndex(text, 0, text.length, context);
  if (hints.empty) return [];
  const out: Finding[] = [];
  let at = 0;
  for (const span of findCode(text).sort((a, b) => a.start - b.start)) {
    if (span.start < at) continue;
    out.push(...scanFreeText(text, at, span.start, form, context, { hints }));
    const options = { commands: true, hints, bareNames: span.yaml === true };
    out.push(...scanFreeText(text, span.start, span.end, form, context, options));
    at = span.end;
  }
  out.push(...scanFreeText(text, at, text.length, form, context, { hints }));
  return out;
}

/**
 * A span of code in a document; `yaml` for a block marked as YAML or starting with `apiVersion:`,
 * whose bare `image: busybox` counts.
 */
export interface CodeSpan {
  readonly start: number;
  readonly end: number;
  readonly yaml?: boolean;
}

/** The spans of fenced code blocks (their content lines) and of inline code. */
function markdownCode(text: string): CodeSpan[] {
  const spans: CodeSpan[] = [];
  const fence = /^[ \t]*(`{3,}|~{3,})[ \t]*([^\n]*)\n/gm;
  // Native searches first: the regexes start where a fence or a backtick first is (if anywhere).
  const firstFence = Math.min(...["```", "~~~"].map((m) => text.indexOf(m)).filter((i) => i >= 0));
  let searchFrom = firstFence === Infinity ? text.length : text.lastIndexOf("\n", firstFence) + 1;
  const fenced: CodeSpan[] = [];
  while (searchFrom < text.length) {
    fence.lastIndex = searchFrom;
    const open = fence.exec(text);
    if (open === null) break;
    const marker = open[1]!;
    const contentStart = open.index + open[0].length;
    const close = new RegExp(`^[ \\t]*${marker[0] === "`" ? "`" : "~"}{${marker.length},}[ \\t]*$`, "m");
    const rest = text.slice(contentStart);
    const m = close.exec(rest);
    const contentEnd = m === null ? text.length : contentStart + m.index;
    // A manifest is YAML whatever the fence says (` ```shell ` around `apiVersion: batch/v1`).
    const yaml =
      /^ya?ml\b/i.test(open[2]!) || /^\s*apiVersion:[ \t]/.test(text.slice(contentStart, contentStart + 200));
    fenced.push({ start: contentStart, end: contentEnd, yaml });
    searchFrom = m === null ? text.length : contentEnd + m[0].length;
  }
  spans.push(...fenced);
  let at = 0;
  for (const block of [...fenced, { start: text.length, end: text.length }]) {
    const prose = text.slice(at, block.start);
    const inline = /(`+)([^`\n][^\n]*?)\1(?!`)/g;
    inline.lastIndex = prose.indexOf("`");
    for (const m of inline.lastIndex < 0 ? [] : prose.matchAll(inline)) {
      const start = at + m.index + m[1]!.length;
      spans.push({ start, end: start + m[2]!.length });
    }
    at = block.end;
  }
  return spans;
}

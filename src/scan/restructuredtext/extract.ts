import { scanDocument } from "../markdown/extract.js";
import type { ExtractContext, Finding } from "../types.js";

/**
 * reStructuredText: literal blocks (after `::`, including `.. code-block::` directives) and inline
 * ``code`` are read as commands and manifests; prose yields only known-registry or mapped names.
 */
export function extractRestructuredtext(text: string, context: ExtractContext): Finding[] {
  return scanDocument(text, context, "restructuredtext", rstCode);
}

function rstCode(text: string): Array<{ start: number; end: number }> {
  const spans: Array<{ start: number; end: number }> = [];
  const lines: Array<{ start: number; end: number; indent: number; blank: boolean }> = [];
  for (let at = 0; at <= text.length; ) {
    const nl = text.indexOf("\n", at);
    const end = nl === -1 ? text.length : nl;
    const line = text.slice(at, end);
    lines.push({ start: at, end, indent: line.length - line.trimStart().length, blank: line.trim() === "" });
    if (nl === -1) break;
    at = nl + 1;
  }
  const blocks: Array<{ start: number; end: number }> = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.blank || !text.slice(line.start, line.end).trimEnd().endsWith("::")) continue;
    let j = i + 1;
    while (
      j < lines.length &&
      (lines[j]!.blank || /^\s*:\w[\w-]*:/.test(text.slice(lines[j]!.start, lines[j]!.end)))
    )
      j++;
    const first = j;
    while (j < lines.length && (lines[j]!.blank || lines[j]!.indent > line.indent)) j++;
    if (j > first) blocks.push({ start: lines[first]!.start, end: lines[j - 1]!.end });
    i = j - 1;
  }
  spans.push(...blocks);
  let at = 0;
  for (const block of [...blocks, { start: text.length, end: text.length }]) {
    for (const m of text.slice(at, block.start).matchAll(/``([^`\n]+)``/g)) {
      const start = at + m.index + 2;
      spans.push({ start, end: start + m[1]!.length });
    }
    at = block.end;
  }
  return spans;
}

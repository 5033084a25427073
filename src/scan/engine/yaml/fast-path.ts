import type { ExtractContext, Finding, Form } from "../../types.js";
import { findingFor } from "../finding.js";
import { HintIndex } from "../hints.js";

/** A block mapping line `key: value` whose key names an image and whose value is a one-line scalar. */
const simpleImageLine =
  /^[ ]*(?:-[ ]+)?(image|[a-z][A-Za-z0-9]*Image|[a-z][a-z0-9_]*_image)[ ]*:[ ]+(?:([^\s#'"{}[\]&*!|>%@`,][^\s#,{}[\]]*)|'([^'\n]*)'|"([^"\\\n]*)")[ ]*(?:#.*)?$/;

/** A line that ends in a block scalar's header (`run: |`, `- >-`, `script: |2 # note`). */
const blockHeader = /[|>][-+0-9]*[ ]*(?:#.*)?\r?$/;

/**
 * The findings of a plain YAML file without parsing it, when that is certain to give the same
 * answer: every line that could hold a reference is a comment or a simple `image: value` line, and
 * there is no flow collection, anchor or tab that could change what a line means, nor a block
 * scalar with a hint in it (one without is text the parser's walk would skip too). Undefined
 * otherwise (the caller parses). A manifest is usually such a file, and the YAML parser is most of
 * the cost of a scan.
 */
export function tryFastYamlImages(text: string, ctx: ExtractContext, form: Form): Finding[] | undefined {
  if (text.includes("\t")) return undefined;
  const out: Finding[] = [];
  const hints = new HintIndex(text, 0, text.length, ctx);
  /** Lines indented deeper than this are a block scalar's text (-1: not in one). */
  let blockIndent = -1;
  let lineStart = 0;
  while (lineStart < text.length) {
    const nl = text.indexOf("\n", lineStart);
    const lineEnd = nl === -1 ? text.length : nl;
    let first = lineStart;
    while (first < lineEnd && text.charCodeAt(first) === 32) first++;
    const blank = first === lineEnd || (first === lineEnd - 1 && text.charCodeAt(first) === 13);
    if (blockIndent >= 0 && (blank || first - lineStart > blockIndent)) {
      // A block scalar's line: text, whatever brackets it holds; one with a hint needs the parser.
      if (hints.holds(lineStart, lineEnd)) return undefined;
      lineStart = lineEnd + 1;
      continue;
    }
    blockIndent = -1;
    // A comment line (brackets in it are balanced: they are commented out) needs no more look.
    if (text.charCodeAt(first) === 35) {
      lineStart = lineEnd + 1;
      continue;
    }
    const line = text.slice(lineStart, lineEnd).replace(/\r$/, "");
    // A block scalar starts below (or a plain value ends in `|` or `>`: the lines below it that
    // are indented deeper are then skipped only when they hold no hint, which costs nothing).
    if ((line.includes("|") || line.includes(">")) && blockHeader.test(line)) {
      // A document that is one block scalar (`--- |`) may have its text at column 0.
      if (hints.holds(lineStart, lineEnd) || line.startsWith("---")) return undefined;
      blockIndent = first - lineStart;
      lineStart = lineEnd + 1;
      continue;
    }
    // A flow collection left open continues on the next lines: only the parser can read those.
    if (/[[{]/.test(line) && !balanced(line)) return undefined;
    if (hints.holds(lineStart, lineStart + line.length)) {
      const m = simpleImageLine.exec(line);
      if (m === null) return undefined;
      const value = m[2] ?? m[3] ?? m[4] ?? "";
      // A plain number, boolean or null is not a string to the parser: let it decide.
      if (
        m[2] !== undefined &&
        /^(?:[-+.0-9].*|null|Null|NULL|~|true|True|TRUE|false|False|FALSE)$/.test(value)
      ) {
        return undefined;
      }
      const offset =
        m[2] !== undefined
          ? line.indexOf(value, line.indexOf(":") + 1)
          : line.indexOf(value, line.search(/['"]/) + 1);
      const start = lineStart + offset;
      const found = findingFor(form, { start, end: start + value.length, value }, "field", `${m[1]}:`, ctx);
      if (found !== undefined) out.push(found);
      else if (value !== "") return undefined;
    }
    lineStart = lineEnd + 1;
  }
  return out;
}

/** Whether the brackets of a line (outside quotes and comments) close. */
function balanced(line: string): boolean {
  let depth = 0;
  let quote = "";
  for (const c of line) {
    if (quote !== "") {
      if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#") break;
    else if (c === "[" || c === "{") depth++;
    else if (c === "]" || c === "}") depth--;
  }
  return depth === 0 && quote === "";
}

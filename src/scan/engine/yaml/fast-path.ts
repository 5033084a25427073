import type { ExtractContext, Finding, Form } from "../../types.js";
import { findingFor } from "../finding.js";
import { scanFreeText } from "../free-text.js";
import { HintIndex } from "../hints.js";
import { imageKey, scriptKey } from "./keys.js";

/** A block mapping line `key: value` whose key names an image and whose value is a one-line scalar. */
const simpleImageLine =
  /^[ ]*(?:-[ ]+)?(image|[a-z][A-Za-z0-9]*Image|[a-z][a-z0-9_]*_image)[ ]*:[ ]+(?:([^\s#'"{}[\]&*!|>%@`,][^\s#,{}[\]]*)|'([^'\n]*)'|"([^"\\\n]*)")[ ]*(?:#.*)?$/;

/**
 * A block line as its parts: indent, `- ` sequence markers, a plain key with its `:` (if any), and
 * the rest (`  - name: value # note`). It matches every line; the parts say what the line is.
 */
const lineParts = /^([ ]*)((?:-(?:[ ]+|$))*)(?:([A-Za-z0-9_][\w./-]*)[ ]*:(?:[ ]+|$))?(.*)$/;

/** A line that ends in a block scalar's header (`run: |`, `- >-`, `script: |2 # note`). */
const blockHeader = /[|>][-+0-9]*[ ]*(?:#.*)?\r?$/;

/**
 * The findings of a plain YAML file without parsing it, when that is certain to give the same
 * answer: every line that could hold a reference is a comment, a simple `image: value` line, or a
 * one-line scalar under another key or in a list (`- name: HUB_IMAGE`, `imagePullPolicy: Always`,
 * `- --registry=quay.io/org`: scanned as free text, as the parser's walk scans it), no line
 * continues a scalar from the line above, and there is no flow collection, anchor or tab that
 * could change what a line means, nor a block scalar with a hint in it (one without is text the
 * parser's walk would skip too). Undefined otherwise (the caller parses). A manifest is usually
 * such a file, and the YAML parser is most of the cost of a scan.
 */
export function tryFastYamlImages(text: string, ctx: ExtractContext, form: Form): Finding[] | undefined {
  if (text.includes("\t")) return undefined;
  const out: Finding[] = [];
  const hints = new HintIndex(text, 0, text.length, ctx);
  /** Lines indented deeper than this are a block scalar's text (-1: not in one). */
  let blockIndent = -1;
  /** The last line that was not blank, a comment or a block scalar's text, and its indent. */
  let previous = "";
  let previousIndent = Number.POSITIVE_INFINITY;
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
    if (text.charCodeAt(first) === 35 || blank) {
      lineStart = lineEnd + 1;
      continue;
    }
    const line = text.slice(lineStart, lineEnd).replace(/\r$/, "");
    // A line deeper than the one above goes on that line's scalar, unless that one opened a block.
    if (first - lineStart > previousIndent && !opensBlock(previous, first - lineStart)) return undefined;
    previous = line;
    previousIndent = first - lineStart;
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
      if (m === null) {
        const found = scanScalarLine(text, lineStart, line, hints, form, ctx);
        if (found === undefined) return undefined;
        out.push(...found);
        lineStart = lineEnd + 1;
        continue;
      }
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

/**
 * What the parser's walk finds on a line that holds a hint but is no simple image line: a key
 * other than an image key, or a list item, with a one-line scalar (or nothing) after it; its value
 * scanned as free text, commands too under a script key (`args:`, `command:`), the list's key for
 * an item. Undefined for any other line.
 */
function scanScalarLine(
  text: string,
  lineStart: number,
  line: string,
  hints: HintIndex,
  form: Form,
  ctx: ExtractContext,
): Finding[] | undefined {
  const [, indent = "", markers = "", key, rest = ""] = lineParts.exec(line) ?? [];
  if (/^(?:---|\.\.\.|%)/.test(line)) return undefined;
  // An image key the simple line did not take (a template, escapes) and a list of images: parser.
  if (key !== undefined && (imageKey.test(key) || key === "images" || key === "imagePrefix"))
    return undefined;
  const scalar = oneLineScalar(line, line.length - rest.length);
  if (scalar === undefined || (key === undefined && (markers === "" || markers.split("-").length > 2)))
    return undefined;
  if (scalar === null) return [];
  const [start, end] = [lineStart + scalar[0], lineStart + scalar[1]];
  if (!hints.holds(start, end)) return [];
  const parent = key ?? listKey(text, lineStart, indent.length);
  if (parent === undefined) return undefined;
  return scanFreeText(text, start, end, form, ctx, { commands: parent !== null && scriptKey.test(parent) });
}

/**
 * The characters of the one-line scalar at `line[from...]` (a quoted one's inside), null when
 * there is nothing there but a comment, undefined when it is anything else: a flow collection, an
 * anchor, alias or tag, a quote with escapes or left open, text the parser rejects (`a: b: c`).
 */
function oneLineScalar(line: string, from: number): readonly [number, number] | null | undefined {
  const rest = line.slice(from);
  if (rest === "" || rest.startsWith("#")) return null;
  const quote = rest[0];
  if (quote === '"' || quote === "'") {
    const close = rest.indexOf(quote, 1);
    if (close === -1 || (quote === '"' && rest.slice(0, close).includes("\\"))) return undefined;
    // `''` stands for a quote, and anything but a comment after the closing quote is no scalar.
    if (!/^[ ]*(?:#.*)?$/.test(rest.slice(close + 1))) return undefined;
    return [from + 1, from + close];
  }
  if (/^[#'"{}[\]&*!|>%@`,]/.test(rest) || /^[-?:](?:[ ]|$)/.test(rest)) return undefined;
  const comment = rest.search(/[ ]#/);
  const value = (comment === -1 ? rest : rest.slice(0, comment)).trimEnd();
  if (value.includes(": ") || value.endsWith(":")) return undefined;
  return [from, from + value.length];
}

/**
 * The key a list item at column `column` belongs to (`args:` above `- --flag`): null for a list at
 * the document's top, undefined when the line above it is not a plain key alone.
 */
function listKey(text: string, lineStart: number, column: number): string | null | undefined {
  for (let end = lineStart - 1; end >= 0; ) {
    const start = text.lastIndexOf("\n", end - 1) + 1;
    const line = text.slice(start, end).replace(/\r$/, "");
    end = start - 1;
    const indent = line.length - line.trimStart().length;
    const c = line[indent];
    if (c === undefined || c === "#" || indent > column) continue;
    if (indent === column && /^-(?:[ ]|$)/.test(line.slice(indent))) continue;
    return /^[ ]*(?:-[ ]+)?([A-Za-z0-9_][\w./-]*)[ ]*:[ ]*(?:#.*)?$/.exec(line)?.[1];
  }
  return null;
}

/**
 * Whether a line indented `indent`, deeper than `line` above it, starts that line's value (`key:`,
 * `- `, a sibling key of `- key: value`) rather than continuing its scalar, which only the parser reads.
 */
function opensBlock(line: string, indent: number): boolean {
  const [, lineIndent = "", markers = "", key, rest = ""] = lineParts.exec(line) ?? [];
  const scalar = oneLineScalar(line, line.length - rest.length);
  if (scalar === null) return key !== undefined || markers !== "";
  return key !== undefined && markers !== "" && indent === lineIndent.length + markers.length;
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

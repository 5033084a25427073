import { isScalar, type Node, type Pair, type Scalar, type YAMLMap } from "yaml";

/**
 * Text-level edits of a YAML file, placed by the parser's source ranges: the new text goes in as
 * whole lines (or replaces one value), so every other byte of the file stays as it was. Nothing
 * here re-serialises YAML; comments, quoting and order survive.
 */

/** One splice of the original text: `before` (the bytes at start..end) becomes `after`. */
export interface TextSplice {
  readonly start: number;
  readonly end: number;
  readonly after: string;
}

/** The 0-based column of an offset. */
export function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf("\n", offset - 1) + 1);
}

/** The offset where the line holding `offset` starts. */
export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

/** The leading spaces of the line holding `offset`. */
export function indentOfLine(text: string, offset: number): string {
  const start = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? "";
}

/**
 * Where text goes that follows a node as new lines: just after the line holding the node's last
 * non-blank character (so trailing blank lines and the comments after it stay after the insertion).
 * `prefix` is "\n" when that line is the file's last and has no newline.
 */
export function afterNode(text: string, node: Node): { offset: number; prefix: string } {
  const [start, end] = node.range ?? [0, 0];
  let last = end - 1;
  while (last > start && /\s/.test(text[last]!)) last--;
  const newline = text.indexOf("\n", last);
  return newline === -1 ? { offset: text.length, prefix: "\n" } : { offset: newline + 1, prefix: "" };
}

/** A splice that inserts `lines` (each without its newline) as new lines after `node`. */
export function insertLinesAfter(text: string, node: Node, lines: readonly string[]): TextSplice {
  const { offset, prefix } = afterNode(text, node);
  return { start: offset, end: offset, after: `${prefix}${lines.map((l) => `${l}\n`).join("")}` };
}

/** The column of a block map's keys (the first key's column). */
export function mapColumn(text: string, map: YAMLMap): number {
  return columnOf(text, map.range?.[0] ?? 0);
}

/**
 * A splice that adds lines to the end of a string value's text (a `tags:` list, a `run:` script).
 * A block scalar (`|`) gets the lines at its content's indentation; a one-line plain or quoted
 * value becomes a `|` block holding the old value and the new lines (a comment after it stays on
 * the key's line). `undefined` for a value spread over several lines that is not a block scalar.
 */
export function appendToScalar(
  text: string,
  pair: Pair<Node, Scalar>,
  lines: readonly string[],
): TextSplice | undefined {
  const value = pair.value!;
  const [start, valueEnd] = value.range!;
  if (value.type === "BLOCK_LITERAL" || value.type === "BLOCK_FOLDED") {
    const body = text.slice(start, valueEnd);
    const firstContent = /\n([ \t]*)\S/.exec(body);
    const indent = firstContent?.[1] ?? `${" ".repeat(columnOf(text, pair.key.range![0]))}  `;
    return insertLinesAfter(
      text,
      value,
      lines.map((l) => indent + l),
    );
  }
  if (text.slice(start, valueEnd).includes("\n")) return undefined;
  const eol = text.indexOf("\n", valueEnd);
  const lineEnd = eol === -1 ? text.length : eol;
  const indent = " ".repeat(columnOf(text, pair.key.range![0]) + 2);
  const old = value.type === "PLAIN" ? text.slice(start, valueEnd) : String(value.value);
  const trailing = text.slice(valueEnd, lineEnd);
  return {
    start,
    end: lineEnd,
    after: `|${trailing}\n${[old, ...lines].map((l) => indent + l).join("\n")}`,
  };
}

/** The string value of a scalar node, or undefined for anything else. */
export function stringOf(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  return typeof node.value === "string" ? node.value : String(node.value);
}

/** A map's pair under `key` when its value is a scalar. */
export function scalarPair(map: YAMLMap, key: string): Pair<Node, Scalar> | undefined {
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
  return pair && isScalar(pair.value) ? (pair as Pair<Node, Scalar>) : undefined;
}

/** A map's pair under `key`, whatever its value. */
export function pairOf(map: YAMLMap, key: string): Pair<Node, unknown> | undefined {
  return map.items.find((p) => isScalar(p.key) && p.key.value === key) as Pair<Node, unknown> | undefined;
}

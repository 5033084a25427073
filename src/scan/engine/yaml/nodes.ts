import { isMap, isPair, isScalar, isSeq, type Node, parseAllDocuments, type YAMLMap } from "yaml";
import type { FieldRole } from "../../types.js";
import { type Embedded, EmbeddedBuilder, embedIndentedLines, embedJsonString } from "../embed.js";
import type { Spot } from "../finding.js";

/** The parsed documents of a YAML stream and the first parse error, if any. */
export interface ParsedYaml {
  readonly roots: Node[];
  readonly error?: { readonly message: string; readonly offset: number };
}

/** Parses every document of a YAML stream, keeping source ranges. Never throws. */
export function parseYaml(text: string): ParsedYaml {
  const roots: Node[] = [];
  let error: ParsedYaml["error"];
  // The parser makes an Error for every problem it meets, and text that is not YAML (a Go template
  // in a ConfigMap, tried as YAML by extractEmbedded) has thousands. Their stacks are never read,
  // and capturing them was two thirds of scanning Istio's install.yaml (bench/RESULTS.md), so none
  // are captured while it runs; the limit is put back before anything else can run.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    for (const doc of parseAllDocuments(text, { uniqueKeys: false })) {
      const first = doc.errors[0];
      if (first !== undefined && error === undefined)
        error = { message: first.message, offset: first.pos[0] };
      if (doc.contents !== null) roots.push(doc.contents as Node);
    }
  } catch (e) {
    error = { message: e instanceof Error ? e.message : String(e), offset: 0 };
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  return error === undefined ? { roots } : { roots, error };
}

/** The key of a pair as a string, when it is a scalar. */
export function keyName(key: unknown): string | undefined {
  if (isScalar(key) && (typeof key.value === "string" || typeof key.value === "number"))
    return String(key.value);
  return undefined;
}

/** A map's entries whose keys are scalars, as [name, value] pairs. */
export function entries(map: YAMLMap): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (const item of map.items) {
    if (!isPair(item)) continue;
    const name = keyName(item.key);
    if (name !== undefined) out.push([name, item.value]);
  }
  return out;
}

/** The value node under `name` in a map. */
export function get(map: unknown, name: string): unknown {
  if (!isMap(map)) return undefined;
  for (const [key, value] of entries(map)) if (key === name) return value;
  return undefined;
}

/**
 * A one-line scalar's characters as a Spot: plain and single-quoted scalars whose characters are
 * their value, double-quoted ones whose escapes are JSON's. Block scalars and anything the file
 * spells differently from its value give undefined (a rewrite could not splice them safely).
 */
export function scalarSpot(text: string, node: unknown, role: FieldRole = "image"): Spot | undefined {
  if (!isScalar(node) || node.range == null) return undefined;
  const [r0, r1] = node.range;
  const type = node.type;
  if (type === "PLAIN") {
    const value = text.slice(r0, r1);
    if (value.includes("\n") || value === "") return undefined;
    return { start: r0, end: r1, value, role };
  }
  if (type === "QUOTE_SINGLE" || type === "QUOTE_DOUBLE") {
    const start = r0 + 1;
    const end = r1 - 1;
    const raw = text.slice(start, end);
    const value = String(node.value);
    if (raw.includes("\n") || value === "") return undefined;
    if (raw === value) return { start, end, value, role };
    if (type === "QUOTE_DOUBLE") {
      try {
        if (JSON.parse(`"${raw}"`) === value) return { start, end, value, role, escaping: "json-string" };
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** Whether a node is a block scalar (`|` or `>`). */
export function isBlockScalar(node: unknown): boolean {
  return isScalar(node) && (node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED");
}

/**
 * The document held in a string scalar, positioned in the outer file: a block scalar's lines, or a
 * double-quoted scalar with `\n` escapes. Undefined for anything else.
 */
export function embeddedDocument(text: string, node: unknown): Embedded | undefined {
  if (!isScalar(node) || node.range == null || typeof node.value !== "string") return undefined;
  const [r0, r1] = node.range;
  if (isBlockScalar(node)) {
    const headerEnd = text.indexOf("\n", r0);
    if (headerEnd === -1 || headerEnd >= r1) return undefined;
    const start = headerEnd + 1;
    const indent = /^[ ]*(?=\S)/m.exec(text.slice(start, r1))?.[0].length ?? 0;
    return embedIndentedLines(text, start, r1, indent);
  }
  if (node.type === "QUOTE_DOUBLE" && !text.slice(r0, r1).includes("\n")) {
    return embedJsonString(text, r0 + 1, r1 - 1);
  }
  return undefined;
}

/**
 * A one-line single-quoted scalar whose value differs from its characters (`''` stands for `'`),
 * positioned in the outer file, so a document in it (compiled pipelines hold JSON there: `'{"image":
 * "python:3.11", "description": "it''s"}'`) is scanned with exact spans. A reference holds no quote,
 * so its characters are verbatim ("none" escaping).
 */
export function singleQuotedDocument(text: string, node: unknown): Embedded | undefined {
  if (!isScalar(node) || node.type !== "QUOTE_SINGLE" || node.range == null) return undefined;
  const start = node.range[0] + 1;
  const end = node.range[1] - 1;
  if (text.slice(start, end).includes("\n")) return undefined;
  const b = new EmbeddedBuilder("none");
  for (let i = start; i < end; i++) {
    if (text[i] === "'" && text[i + 1] === "'") {
      b.appendDecoded("'", i, i + 2);
      i++;
    } else b.appendVerbatim(text, i, i + 1);
  }
  return b.build();
}

export { isMap, isScalar, isSeq };

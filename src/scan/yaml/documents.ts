import type { Finding } from "../types.js";

/**
 * One document of a YAML stream as the scan reads it: its text, perhaps with stretches cut out
 * (see `yamlDocuments`), and where each kept stretch sits in the file.
 */
export interface YamlDocument {
  readonly text: string;
  /** Kept stretches in order: `text[inner, ...)` is the file's `[outer, ...)` until the next piece. */
  readonly pieces: ReadonlyArray<{ readonly inner: number; readonly outer: number }>;
}

/**
 * A line that starts a document (`---`) or ends one (`...`): at column 0 these are document
 * markers wherever they stand, even inside what would otherwise be a scalar
 * (https://yaml.org/spec/1.2.2/#912-document-markers), so a stream splits at them without parsing.
 */
const marker = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;

/** A CRD: its schema can be skipped (see `schemaCuts`). */
const crdKind = /^kind:[ ]*["']?CustomResourceDefinition["']?[ ]*(?:#.*)?\r?$/m;

/** The key of a CRD's schema, with nothing after it on its line: the schema is the block below. */
const schemaKey = /^([ ]*)openAPIV3Schema:[ ]*(?:#.*)?\r?$/gm;

/**
 * The documents of a YAML stream, split at document markers, each with the schemas of
 * CustomResourceDefinitions cut out. A CRD's `openAPIV3Schema` is its bulk (most of tens of MB of
 * CRDs in an operator's release) and holds field descriptions, never an image a cluster pulls; its
 * lines go, whole, so the rest reads as it did (the key's value becomes null). Parsing documents
 * one at a time also lets a caller skip those with no hint of a reference, and keeps a syntax
 * error in one document from hiding the documents after it.
 */
export function yamlDocuments(text: string): YamlDocument[] {
  const starts = [0];
  marker.lastIndex = 0;
  for (let m = marker.exec(text); m !== null; m = marker.exec(text)) if (m.index > 0) starts.push(m.index);
  return starts.map((start, i) => cutSchemas(text, start, starts[i + 1] ?? text.length));
}

/** The document `text[start, end)` without its CRD schemas (the slice itself when it has none). */
function cutSchemas(text: string, start: number, end: number): YamlDocument {
  const doc = text.slice(start, end);
  const cuts = crdKind.test(doc) ? schemaCuts(doc) : [];
  if (cuts.length === 0) return { text: doc, pieces: [{ inner: 0, outer: start }] };
  const parts: string[] = [];
  const pieces: Array<{ inner: number; outer: number }> = [];
  let from = 0;
  let inner = 0;
  for (const [cutStart, cutEnd] of [...cuts, [doc.length, doc.length] as const]) {
    parts.push(doc.slice(from, cutStart));
    pieces.push({ inner, outer: start + from });
    inner += cutStart - from;
    from = cutEnd;
  }
  return { text: parts.join(""), pieces };
}

/** Offsets of the lines below each `openAPIV3Schema:` key that are blank, comments or indented deeper. */
function schemaCuts(doc: string): Array<readonly [number, number]> {
  const cuts: Array<readonly [number, number]> = [];
  schemaKey.lastIndex = 0;
  for (let m = schemaKey.exec(doc); m !== null; m = schemaKey.exec(doc)) {
    const indent = m[1]!.length;
    const blockStart = doc.indexOf("\n", m.index) + 1;
    if (blockStart === 0) break;
    let at = blockStart;
    while (at < doc.length) {
      const nl = doc.indexOf("\n", at);
      const lineEnd = nl === -1 ? doc.length : nl + 1;
      let first = at;
      while (first < lineEnd && doc.charCodeAt(first) === 32) first++;
      const c = doc.charCodeAt(first);
      const blank = first >= lineEnd || c === 10 || c === 13 || c === 35;
      if (!blank && first - at <= indent) break;
      at = lineEnd;
    }
    if (at > blockStart) cuts.push([blockStart, at]);
    schemaKey.lastIndex = at;
  }
  return cuts;
}

/** Where offset `inner` of a document's text lies in the file. */
export function outerOffset(doc: YamlDocument, inner: number): number {
  let piece = doc.pieces[0]!;
  for (const p of doc.pieces) {
    if (p.inner > inner) break;
    piece = p;
  }
  return piece.outer + (inner - piece.inner);
}

/** Findings made on a document's text, moved to where their fields lie in the file. */
export function placeFindings(findings: readonly Finding[], doc: YamlDocument): Finding[] {
  if (doc.pieces.length === 1 && doc.pieces[0]!.outer === 0) return [...findings];
  return findings.map((finding) =>
    Object.assign({}, finding, {
      fields: finding.fields.map((field) => ({
        ...field,
        start: outerOffset(doc, field.start),
        end: outerOffset(doc, field.end - 1) + 1,
      })),
    }),
  );
}

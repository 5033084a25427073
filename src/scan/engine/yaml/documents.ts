import type { Finding } from "../../types.js";

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
    const blockStart = doc.indexOf("\n", m.index) + 1;
    if (blockStart === 0) break;
    // The block ends before the first line with at most the key's indent and then a character
    // that starts content (not a space, a line end or a comment): one native search, as the
    // schemas are most of a CRD bundle's bytes.
    const blockEnd = new RegExp(`\\n[ ]{0,${m[1]!.length}}[^ \\r\\n#]`, "g");
    blockEnd.lastIndex = blockStart - 1;
    const end = blockEnd.exec(doc);
    const at = end === null ? doc.length : end.index + 1;
    if (at > blockStart) cuts.push([blockStart, at]);
    schemaKey.lastIndex = at;
  }
  return cuts;
}

/** A top-level key of a block mapping: a plain key at column 0 followed by `:`. */
const topKey = /^[A-Za-z_][\w./-]*[ ]*:(?:[ ]|\r?$)/;
/**
 * A top-level key the Helm values extractor reads together with its siblings (split fields), or
 * `global:`, whose registry it applies to the images of every other section.
 */
const siblingKey = /^(?:repository|tag|registry|digest|imageRegistry|global)[ ]*:/m;
/** An anchor or alias (`&base`, `*base`): one section could name another's. */
const anchorOrAlias = /(?:^|[\s[{,])[&*][\w-]/m;

/**
 * A document that is a block mapping, split before each top-level key, so that a caller parses
 * only the sections that can hold a reference: a chart's values.yaml or a workflow keeps most of
 * its bulk in sections without one. Each section is a mapping of its own that reads as it did in
 * the whole. The document is returned whole when a split could change what it means: a line at
 * column 0 that is not a plain key or a comment (a top-level sequence, a flow collection, a
 * quoted key), anchors and aliases, or top-level split image fields that a hook reads together.
 */
export function yamlSections(doc: YamlDocument): YamlDocument[] {
  const { text } = doc;
  if (anchorOrAlias.test(text) || siblingKey.test(text)) return [doc];
  const starts: number[] = [];
  for (let at = 0; at < text.length; ) {
    const nl = text.indexOf("\n", at);
    const end = nl === -1 ? text.length : nl;
    const c = text.charCodeAt(at);
    // Not a space, a comment, a blank line, nor a document marker on the document's first line.
    const open = c !== 32 && c !== 35 && c !== 10 && c !== 13 && !(at === 0 && /^(?:---|%)/.test(text));
    if (open) {
      const line = text.slice(at, end);
      // A flow collection left open on a key's line may go on at column 0 (bad YAML, but read as it was).
      if (!topKey.test(line) || count(line, /[[{]/g) !== count(line, /[\]}]/g)) return [doc];
      starts.push(at);
    }
    at = end + 1;
  }
  if (starts.length < 2) return [doc];
  starts[0] = 0;
  return starts.map((start, i) => sectionOf(doc, start, starts[i + 1] ?? text.length));
}

function count(line: string, pattern: RegExp): number {
  return line.match(pattern)?.length ?? 0;
}

/** `doc.text[start, end)` as a document of its own, placed in the file as `doc` is. */
function sectionOf(doc: YamlDocument, start: number, end: number): YamlDocument {
  const pieces = [{ inner: 0, outer: outerOffset(doc, start) }];
  for (const p of doc.pieces)
    if (p.inner > start && p.inner < end) pieces.push({ inner: p.inner - start, outer: p.outer });
  return { text: doc.text.slice(start, end), pieces };
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

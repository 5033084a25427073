import type { Escaping, Field, Finding } from "../types.js";

/**
 * A document embedded in a file (a YAML block scalar, a JSON string, a notebook cell): its decoded
 * text and, for every decoded character, where it starts and ends in the outer file. Extractors run
 * on `text`; `remapFindings` moves their spans back into the outer file.
 */
export interface Embedded {
  readonly text: string;
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  /** How the outer file escapes the characters of this document. */
  readonly escaping: Escaping;
}

/** Builds an Embedded from pieces appended one after another. */
export class EmbeddedBuilder {
  private text = "";
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  constructor(private readonly escaping: Escaping) {}

  /** Appends characters copied verbatim from `outer[start, end)`. */
  appendVerbatim(outer: string, start: number, end: number): void {
    this.text += outer.slice(start, end);
    for (let i = start; i < end; i++) {
      this.starts.push(i);
      this.ends.push(i + 1);
    }
  }

  /** Appends one decoded character (or surrogate pair half) that stands for `outer[start, end)`. */
  appendDecoded(char: string, start: number, end: number): void {
    this.text += char;
    for (let i = 0; i < char.length; i++) {
      this.starts.push(start);
      this.ends.push(end);
    }
  }

  build(): Embedded {
    return { text: this.text, starts: this.starts, ends: this.ends, escaping: this.escaping };
  }
}

/** Escaping of an inner field once its document sits inside an outer escaping; undefined if too deep. */
function composeEscaping(outer: Escaping, inner: Escaping): Escaping | undefined {
  if (outer === "none") return inner;
  if (outer === "json-string" && inner === "none") return "json-string";
  if (outer === "json-string" && inner === "json-string") return "json-string-2";
  if (outer === "json-string-2" && inner === "none") return "json-string-2";
  return undefined;
}

/**
 * Moves findings made on an embedded document's text into the outer file. A field whose escaping
 * cannot be expressed (three levels deep) drops its finding: better missed than mis-edited.
 */
export function remapFindings(findings: readonly Finding[], embedded: Embedded): Finding[] {
  const out: Finding[] = [];
  for (const finding of findings) {
    const fields: Field[] = [];
    for (const field of finding.fields) {
      const escaping = composeEscaping(embedded.escaping, field.escaping);
      const start = embedded.starts[field.start];
      const end = embedded.ends[field.end - 1];
      if (escaping === undefined || start === undefined || end === undefined) break;
      fields.push({ role: field.role, start, end, value: field.value, escaping });
    }
    if (fields.length === finding.fields.length) out.push(Object.assign({}, finding, { fields }));
  }
  return out;
}

/**
 * Findings made on a stretch of the outer file's own characters that sits inside a string with
 * `escaping` and has no escape in it: positions stay, each field's escaping is composed with the
 * string's (see remapFindings). Cheaper than an Embedded, which keeps two offsets per character.
 */
export function withinString(findings: readonly Finding[], escaping: Escaping): Finding[] {
  const out: Finding[] = [];
  for (const finding of findings) {
    const fields: Field[] = [];
    for (const field of finding.fields) {
      const composed = composeEscaping(escaping, field.escaping);
      if (composed === undefined) break;
      fields.push(Object.assign({}, field, { escaping: composed }));
    }
    if (fields.length === finding.fields.length) out.push(Object.assign({}, finding, { fields }));
  }
  return out;
}

const simpleEscapes: Readonly<Record<string, string>> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

/**
 * Decodes the JSON string whose characters (quotes excluded) are `outer[start, end)`, keeping where
 * each decoded character came from. Returns undefined on a malformed escape.
 */
export function embedJsonString(
  outer: string,
  start: number,
  end: number,
  builder?: EmbeddedBuilder,
): Embedded | undefined {
  const b = builder ?? new EmbeddedBuilder("json-string");
  if (!appendJsonString(b, outer, start, end)) return undefined;
  return b.build();
}

/** Appends the decoded JSON string `outer[start, end)` to a builder; false on a malformed escape. */
export function appendJsonString(b: EmbeddedBuilder, outer: string, start: number, end: number): boolean {
  let i = start;
  while (i < end) {
    const next = outer.indexOf("\\", i);
    const stop = next === -1 || next >= end ? end : next;
    if (stop > i) b.appendVerbatim(outer, i, stop);
    if (stop === end) break;
    const code = outer[stop + 1];
    if (code === undefined) return false;
    if (code === "u") {
      const hex = outer.slice(stop + 2, stop + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) return false;
      b.appendDecoded(String.fromCharCode(Number.parseInt(hex, 16)), stop, stop + 6);
      i = stop + 6;
    } else {
      const char = simpleEscapes[code];
      if (char === undefined) return false;
      b.appendDecoded(char, stop, stop + 2);
      i = stop + 2;
    }
  }
  return true;
}

/**
 * The lines of `outer[start, end)` with `indent` leading characters removed from each (a YAML block
 * scalar's content, a Markdown code block in a list): the text an extractor sees.
 */
export function embedIndentedLines(outer: string, start: number, end: number, indent: number): Embedded {
  const b = new EmbeddedBuilder("none");
  let i = start;
  while (i < end) {
    const nl = outer.indexOf("\n", i);
    const lineEnd = nl === -1 || nl >= end ? end : nl + 1;
    let from = i;
    while (from < lineEnd && from - i < indent && (outer[from] === " " || outer[from] === "\t")) from++;
    b.appendVerbatim(outer, from, lineEnd);
    i = lineEnd;
  }
  return b.build();
}

/** Decodes `slice` per `escaping`: what a field's characters mean. Used by tests and the rewrite layer. */
export function decodeEscaped(slice: string, escaping: Escaping): string {
  if (escaping === "none") return slice;
  const once = JSON.parse(`"${slice}"`) as string;
  return escaping === "json-string" ? once : (JSON.parse(`"${once}"`) as string);
}

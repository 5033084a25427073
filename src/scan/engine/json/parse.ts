/** A JSON value with the source span of every string (quotes excluded), for extractors. */
export type JsonNode =
  | { readonly type: "object"; readonly entries: ReadonlyArray<{ key: JsonString; value: JsonNode }> }
  | { readonly type: "array"; readonly items: readonly JsonNode[] }
  | JsonString
  | { readonly type: "other" };

/** A JSON string: `start`/`end` bound its characters inside the quotes; `value` is decoded. */
export interface JsonString {
  readonly type: "string";
  readonly start: number;
  readonly end: number;
  readonly value: string;
}

/** A JSON syntax error at an offset. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Parses JSON keeping the span of every string. Throws JsonSyntaxError. */
export function parseJsonWithSpans(text: string): JsonNode {
  let i = 0;
  // Where the next backslash is at or after `i` (-1: none): found once per backslash, not per
  // string, so that strings are cut with native searches and a file is read in one pass.
  let nextBackslash = -2;
  const ws = (): void => {
    for (let c = text.charCodeAt(i); c === 32 || c === 10 || c === 13 || c === 9; c = text.charCodeAt(i)) i++;
  };
  const fail = (what: string): never => {
    throw new JsonSyntaxError(`expected ${what}`, i);
  };
  const str = (): JsonString => {
    if (text.charCodeAt(i) !== 34) fail("a string");
    const start = ++i;
    if (nextBackslash !== -1 && nextBackslash < start) nextBackslash = text.indexOf("\\", start);
    let end = text.indexOf('"', start);
    const escaped = nextBackslash !== -1 && (end === -1 || nextBackslash < end);
    if (escaped) {
      // Escapes inside: step over each one (an escaped quote does not end the string).
      i = nextBackslash;
      while (i < text.length && text.charCodeAt(i) !== 34) i += text.charCodeAt(i) === 92 ? 2 : 1;
      end = i;
    }
    if (end === -1 || end >= text.length) {
      i = text.length;
      fail("a closing quote");
    }
    i = end + 1;
    const raw = text.slice(start, end);
    let value = raw;
    if (escaped) {
      try {
        value = JSON.parse(`"${raw}"`) as string;
      } catch {
        i = start;
        fail("a valid string escape");
      }
    }
    return { type: "string", start, end, value };
  };
  const value = (depth: number): JsonNode => {
    if (depth > 200) fail("less nesting");
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const entries: Array<{ key: JsonString; value: JsonNode }> = [];
      ws();
      if (text[i] === "}") {
        i++;
        return { type: "object", entries };
      }
      for (;;) {
        ws();
        const key = str();
        ws();
        if (text[i] !== ":") fail("':'");
        i++;
        entries.push({ key, value: value(depth + 1) });
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") {
          i++;
          return { type: "object", entries };
        } else fail("',' or '}'");
      }
    }
    if (c === "[") {
      i++;
      const items: JsonNode[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return { type: "array", items };
      }
      for (;;) {
        items.push(value(depth + 1));
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") {
          i++;
          return { type: "array", items };
        } else fail("',' or ']'");
      }
    }
    if (c === '"') return str();
    const m = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 64));
    if (m === null) fail("a JSON value");
    i += m![0].length;
    return { type: "other" };
  };
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  const root = value(0);
  ws();
  if (i < text.length) fail("end of input");
  return root;
}

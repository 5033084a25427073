/** Languages whose string literals the source extractor reads. */
export type Language = "go" | "python" | "typescript" | "java";

/** A string literal: the span of its characters (delimiters excluded) and whether backslash escapes apply. */
export interface StringLiteral {
  readonly start: number;
  readonly end: number;
  readonly escapes: boolean;
  /** Delimited by backticks or triple quotes: may span lines. */
  readonly multiline: boolean;
  /** A comment rather than a string (read as prose: known registries and mapped names only). */
  readonly comment?: boolean;
}

/** The language of a source file by its extension, or undefined. */
export function languageOf(file: string): Language | undefined {
  const ext = file.slice(file.lastIndexOf(".") + 1).toLowerCase();
  if (ext === "go") return "go";
  if (ext === "py") return "python";
  if (["ts", "tsx", "js", "jsx", "mjs", "cjs", "mts", "cts"].includes(ext)) return "typescript";
  if (["java", "kt", "kts", "scala", "groovy"].includes(ext)) return "java";
  return undefined;
}

/**
 * Lexes the string literals of a source file, skipping comments: Go `"..."` and raw `` `...` ``,
 * Python quotes with prefixes and triple quotes, TypeScript quotes and templates, Java quotes and
 * text blocks. A lexer, not a parser: enough to know what is inside a string.
 */
export function findStringLiterals(text: string, language: Language): StringLiteral[] {
  const out: StringLiteral[] = [];
  const hashComments = language === "python";
  const slashComments = language !== "python";
  let i = 0;
  const n = text.length;
  // Jump from one character that can open a string or comment to the next.
  const interesting = hashComments ? /["'`#]/g : /["'`/]/g;
  while (i < n) {
    interesting.lastIndex = i;
    const next = interesting.exec(text);
    if (next === null) break;
    i = next.index;
    const c = text[i]!;
    if ((slashComments && c === "/" && text[i + 1] === "/") || (hashComments && c === "#")) {
      // A run of line comments is one comment: one check for the whole block.
      const marker = c === "#" ? "#" : "//";
      let end = lineEnd(text, i);
      // The block goes on while the next line, after at most 63 blanks, starts with the marker.
      while (end < n) {
        let next = end + 1;
        const limit = Math.min(end + 64, n);
        while (next < limit && (text.charCodeAt(next) === 32 || text.charCodeAt(next) === 9)) next++;
        if (!text.startsWith(marker, next)) break;
        end = lineEnd(text, next);
      }
      out.push({ start: i, end, escapes: false, multiline: true, comment: true });
      i = end;
    } else if (slashComments && c === "/" && text[i + 1] === "*") {
      const close = text.indexOf("*/", i + 2);
      const end = close === -1 ? n : close;
      out.push({ start: i + 2, end, escapes: false, multiline: true, comment: true });
      i = close === -1 ? n : close + 2;
    } else if (c === '"' || c === "'" || c === "`") {
      const triple =
        (language === "python" || (language === "java" && c === '"')) && text.startsWith(c.repeat(3), i);
      if (triple) {
        const close = findClose(text, i + 3, c.repeat(3), !isRawPrefix(text, i));
        out.push({ start: i + 3, end: close, escapes: !isRawPrefix(text, i), multiline: true });
        i = close + 3;
      } else if (c === "`" && (language === "go" || language === "typescript")) {
        const close = findClose(text, i + 1, "`", language === "typescript");
        out.push({ start: i + 1, end: close, escapes: language === "typescript", multiline: true });
        i = close + 1;
      } else if (c === "'" && (language === "go" || language === "java")) {
        i = findClose(text, i + 1, "'", true, true) + 1;
      } else {
        const close = findClose(text, i + 1, c, true, true);
        out.push({ start: i + 1, end: close, escapes: !isRawPrefix(text, i), multiline: false });
        i = close + 1;
      }
    } else {
      i++;
    }
  }
  return out;
}

function lineEnd(text: string, i: number): number {
  const nl = text.indexOf("\n", i);
  return nl === -1 ? text.length : nl;
}

/** Python raw strings (`r"..."`, `rb'...'`): backslashes are literal. */
function isRawPrefix(text: string, quote: number): boolean {
  const prefix = /[A-Za-z]{0,2}$/.exec(text.slice(Math.max(0, quote - 2), quote))?.[0] ?? "";
  return /r/i.test(prefix) && !/[A-Za-z0-9_]/.test(text[quote - prefix.length - 1] ?? "");
}

/** The index of the closing delimiter (or the end of the line/text for an unterminated literal). */
function findClose(text: string, from: number, close: string, escapes: boolean, singleLine = false): number {
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (escapes && c === "\\") {
      i += 2;
      continue;
    }
    if (singleLine && c === "\n") return i;
    if (text.startsWith(close, i)) return i;
    i++;
  }
  return text.length;
}

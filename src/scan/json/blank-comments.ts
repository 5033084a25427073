/**
 * JSON with comments (VS Code's JSONC: `devcontainer.json`, `.vscode/*.json`, `tsconfig.json`) as
 * plain JSON of the same length: `//` and `/* *\/` comments and trailing commas become spaces
 * (newlines stay), so every offset still points at the same character of the file. Undefined when
 * there is nothing to blank. https://code.visualstudio.com/docs/languages/json#_json-with-comments
 */
export function blankJsonComments(text: string): string | undefined {
  if (!text.includes("//") && !text.includes("/*") && !/,\s*[}\]]/.test(text)) return undefined;
  // Native searches from one character that matters to the next: a package-lock.json has
  // thousands of `https://` strings, and a loop over every character was most of its scan.
  const special = /["/,}\]]/g;
  const stringEnd = /["\n\\]/g;
  const blanks: Array<readonly [number, number]> = [];
  /** A comma with only blanks and comments after it so far: a trailing one if a bracket comes. */
  let lastComma = -1;
  let i = 0;
  while (i < text.length) {
    special.lastIndex = i;
    const m = special.exec(text);
    const at = m === null ? text.length : m.index;
    if (lastComma !== -1 && /\S/.test(text.slice(i, at))) lastComma = -1;
    if (m === null) break;
    const c = m[0];
    if (c === '"') {
      // To the closing quote or the line's end (a string never spans lines), past escapes.
      let end = at + 1;
      for (stringEnd.lastIndex = end; ; stringEnd.lastIndex = end) {
        const e = stringEnd.exec(text);
        end = e === null ? text.length : e.index;
        if (e === null || e[0] !== "\\") break;
        end += 2;
      }
      i = end + 1;
      lastComma = -1;
    } else if (c === "/" && (text[at + 1] === "/" || text[at + 1] === "*")) {
      const end =
        text[at + 1] === "/"
          ? nextOr(text, "\n", at, text.length)
          : nextOr(text, "*/", at + 2, text.length - 2) + 2;
      blanks.push([at, end]);
      i = end;
    } else {
      if (c === ",") lastComma = at;
      else if (c !== "/" && lastComma !== -1) blanks.push([lastComma, lastComma + 1]);
      if (c !== ",") lastComma = -1;
      i = at + 1;
    }
  }
  if (blanks.length === 0) return undefined;
  blanks.sort((a, b) => a[0] - b[0]);
  const out: string[] = [];
  let from = 0;
  for (const [start, end] of blanks) {
    out.push(text.slice(from, start), text.slice(start, end).replace(/[^\n]/g, " "));
    from = end;
  }
  out.push(text.slice(from));
  return out.join("");
}

/** The index of `what` in `text` from `from`, or `fallback` when there is none. */
function nextOr(text: string, what: string, from: number, fallback: number): number {
  const at = text.indexOf(what, from);
  return at === -1 ? fallback : at;
}

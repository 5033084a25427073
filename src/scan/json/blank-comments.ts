/**
 * JSON with comments (VS Code's JSONC: `devcontainer.json`, `.vscode/*.json`, `tsconfig.json`) as
 * plain JSON of the same length: `//` and `/* *\/` comments and trailing commas become spaces
 * (newlines stay), so every offset still points at the same character of the file. Undefined when
 * there is nothing to blank. https://code.visualstudio.com/docs/languages/json#_json-with-comments
 */
export function blankJsonComments(text: string): string | undefined {
  if (!text.includes("//") && !text.includes("/*") && !/,\s*[}\]]/.test(text)) return undefined;
  const out: string[] = [];
  let changed = false;
  let lastComma = -1;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      const start = i++;
      while (i < text.length && text[i] !== '"' && text[i] !== "\n") i += text[i] === "\\" ? 2 : 1;
      out.push(text.slice(start, ++i));
      lastComma = -1;
    } else if (c === "/" && (text[i + 1] === "/" || text[i + 1] === "*")) {
      const end =
        text[i + 1] === "/"
          ? nextOr(text, "\n", i, text.length)
          : nextOr(text, "*/", i + 2, text.length - 2) + 2;
      out.push(text.slice(i, end).replace(/[^\n]/g, " "));
      changed = true;
      i = end;
    } else {
      if (c === ",") lastComma = out.length;
      else if ((c === "}" || c === "]") && lastComma !== -1) {
        out[lastComma] = " ";
        changed = true;
      }
      if (c !== "," && !/\s/.test(c)) lastComma = -1;
      out.push(c);
      i++;
    }
  }
  return changed ? out.join("") : undefined;
}

/** The index of `what` in `text` from `from`, or `fallback` when there is none. */
function nextOr(text: string, what: string, from: number, fallback: number): number {
  const at = text.indexOf(what, from);
  return at === -1 ? fallback : at;
}

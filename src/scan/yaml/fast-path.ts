import { findingFor } from "../finding.js";
import { HintIndex } from "../hints.js";
import type { ExtractContext, Finding, Form } from "../types.js";

/** A block mapping line `key: value` whose key names an image and whose value is a one-line scalar. */
const simpleImageLine =
  /^[ ]*(?:-[ ]+)?(image|[a-z][A-Za-z0-9]*Image|[a-z][a-z0-9_]*_image)[ ]*:[ ]+(?:([^\s#'"{}[\]&*!|>%@`,][^\s#,{}[\]]*)|'([^'\n]*)'|"([^"\\\n]*)")[ ]*(?:#.*)?$/;

/**
 * The findings of a plain YAML file without parsing it, when that is certain to give the same
 * answer: every line that could hold a reference is a comment or a simple `image: value` line, and
 * there is no block scalar, flow collection, anchor or tab that could change what a line means.
 * Undefined otherwise (the caller parses). A manifest is usually such a file, and the YAML parser
 * is most of the cost of a scan.
 */
export function tryFastYamlImages(text: string, ctx: ExtractContext, form: Form): Finding[] | undefined {
  if (text.includes("\t")) return undefined;
  // A block scalar's header (`|`, `>-`): a native search for either character first, as most have none.
  if ((text.includes("|") || text.includes(">")) && /[|>][-+0-9]*[ ]*(?:#.*)?$/m.test(text)) return undefined;
  const out: Finding[] = [];
  const hints = new HintIndex(text, 0, text.length, ctx);
  let lineStart = 0;
  while (lineStart < text.length) {
    const nl = text.indexOf("\n", lineStart);
    const lineEnd = nl === -1 ? text.length : nl;
    // A comment line (brackets in it are balanced: they are commented out) needs no more look.
    let first = lineStart;
    while (first < lineEnd && text.charCodeAt(first) === 32) first++;
    if (text.charCodeAt(first) === 35) {
      lineStart = lineEnd + 1;
      continue;
    }
    const line = text.slice(lineStart, lineEnd).replace(/\r$/, "");
    // A flow collection left open continues on the next lines: only the parser can read those.
    if (/[[{]/.test(line) && !balanced(line)) return undefined;
    if (hints.holds(lineStart, lineStart + line.length)) {
      const m = simpleImageLine.exec(line);
      if (m === null) return undefined;
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

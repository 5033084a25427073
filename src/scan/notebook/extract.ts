import { appendJsonString, type Embedded, EmbeddedBuilder, remapFindings } from "../engine/embed.js";
import { scanFreeText } from "../engine/free-text.js";
import { type JsonNode, JsonSyntaxError, parseJsonWithSpans } from "../engine/json/parse.js";
import { extractMarkdown } from "../markdown/extract.js";
import type { ExtractContext, Finding } from "../types.js";

/**
 * Jupyter notebooks: each cell's source (a JSON array of line strings) is joined into one text,
 * read as Markdown or as code (`!docker pull`, `image="..."`, known-registry names), and every
 * position is mapped back into the notebook's JSON. Outputs (printed text, a result's `text/plain`)
 * are read as prose, reported as outputs: a printed object names the images a run used.
 */
export function extractNotebook(text: string, context: ExtractContext): Finding[] {
  let root: JsonNode;
  try {
    root = parseJsonWithSpans(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      context.report?.(`notebook JSON: ${error.message}`, error.offset);
      return [];
    }
    throw error;
  }
  const out: Finding[] = [];
  const cells = member(root, "cells");
  if (cells?.type !== "array") return [];
  for (const cell of cells.items) {
    const type = member(cell, "cell_type");
    const source = member(cell, "source");
    if (source === undefined) continue;
    const embedded = joinLines(text, source);
    if (embedded === undefined) continue;
    const inner =
      type?.type === "string" && type.value === "markdown"
        ? extractMarkdown(embedded.text, context)
        : scanFreeText(embedded.text, 0, embedded.text.length, "notebook", context, { commands: true });
    out.push(...remapFindings(inner, embedded).map((f) => ({ ...f, form: "notebook" as const })));
    const outputs = member(cell, "outputs");
    for (const output of outputs?.type === "array" ? outputs.items : []) {
      const printed = member(output, "text") ?? member(member(output, "data"), "text/plain");
      const shown = printed === undefined ? undefined : joinLines(text, printed);
      if (shown === undefined) continue;
      const found = scanFreeText(shown.text, 0, shown.text.length, "notebook", context);
      out.push(
        ...remapFindings(found, shown).map((f) => ({
          ...f,
          form: "notebook" as const,
          context: `in a cell's output (${f.context})`,
        })),
      );
    }
  }
  return out;
}

/** A cell's source or output text (a JSON string or an array of line strings) as one text. */
function joinLines(text: string, node: JsonNode): Embedded | undefined {
  const builder = new EmbeddedBuilder("json-string");
  for (const line of node.type === "array" ? node.items : [node]) {
    if (line.type !== "string" || !appendJsonString(builder, text, line.start, line.end)) return undefined;
  }
  return builder.build();
}

function member(node: JsonNode | undefined, key: string): JsonNode | undefined {
  if (node?.type !== "object") return undefined;
  return node.entries.find((e) => e.key.value === key)?.value;
}

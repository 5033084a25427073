import { appendJsonString, EmbeddedBuilder, remapFindings } from "../engine/embed.js";
import { scanFreeText } from "../engine/free-text.js";
import { type JsonNode, JsonSyntaxError, parseJsonWithSpans } from "../engine/json/parse.js";
import { extractMarkdown } from "../markdown/extract.js";
import type { ExtractContext, Finding } from "../types.js";

/**
 * Jupyter notebooks: each cell's source (a JSON array of line strings) is joined into one text,
 * read as Markdown or as code (`!docker pull`, `image="..."`, known-registry names), and every
 * position is mapped back into the notebook's JSON. Outputs are not read.
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
    const builder = new EmbeddedBuilder("json-string");
    const strings = source.type === "array" ? source.items : [source];
    let ok = true;
    for (const line of strings) {
      if (line.type !== "string" || !appendJsonString(builder, text, line.start, line.end)) ok = false;
    }
    if (!ok) continue;
    const embedded = builder.build();
    const inner =
      type?.type === "string" && type.value === "markdown"
        ? extractMarkdown(embedded.text, context)
        : scanFreeText(embedded.text, 0, embedded.text.length, "notebook", context, { commands: true });
    out.push(...remapFindings(inner, embedded).map((f) => ({ ...f, form: "notebook" as const })));
  }
  return out;
}

function member(node: JsonNode | undefined, key: string): JsonNode | undefined {
  if (node?.type !== "object") return undefined;
  return node.entries.find((e) => e.key.value === key)?.value;
}

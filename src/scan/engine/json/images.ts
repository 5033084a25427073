import type { ExtractContext, Finding, Form } from "../../types.js";
import type { Embedded } from "../embed.js";
import { embedJsonString, remapFindings, withinString } from "../embed.js";
import { findingFor } from "../finding.js";
import { qualified, scanFreeText } from "../free-text.js";
import { mayHoldReference } from "../hints.js";
import { globalHubScope, type HubScope, hubImageFinding, hubScopeOf } from "./hub-images.js";
import { type JsonNode, type JsonString, JsonSyntaxError, parseJsonWithSpans } from "./parse.js";

/**
 * Finds references in a document held in a string (yaml/images.ts's extractEmbedded, which reads
 * JSON through extractJsonImages in turn): passed in, so the two files do not import each other.
 */
export type EmbeddedExtractor = (
  embedded: Embedded,
  key: string | undefined,
  ctx: ExtractContext,
  form: Form,
  depth: number,
) => Finding[];

const imageKey = /^(?:image|[a-z][A-Za-z0-9]*Image|[a-z][a-z0-9_]*_image)$/;
/**
 * Renovate's package rule matchers (`matchPackageNames: ["ORG/project"]`): names of packages of any
 * kind, not references; rewriting them would change which updates a rule selects.
 * https://docs.renovatebot.com/configuration-options/#packagerulesmatchpackagenames
 */
const packageRuleKey = /^(?:match|exclude)(?:Package|Dep|Source)[A-Za-z]*$/;

/**
 * Whether `extractJsonImages` could find anything in `text`: a hint of `mayHoldReference`, or a
 * `\u` escape, which may spell one in a decoded key or string.
 */
export function jsonMayFind(text: string, ctx: ExtractContext): boolean {
  return mayHoldReference(text, ctx) || text.includes("\\u");
}

/**
 * Finds references in a JSON document: `"image"` values, `"images"` arrays, a bare `"image"`
 * under a `"hub"` (hub-images.ts), and documents or commands inside other strings (with escaped newlines and quotes). Undefined when the text is not
 * JSON (the caller may try another reading).
 */
export function extractJsonImages(
  text: string,
  ctx: ExtractContext,
  form: Form,
  extractDocument: EmbeddedExtractor,
  depth = 0,
): Finding[] | undefined {
  let root: JsonNode;
  try {
    root = parseJsonWithSpans(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      ctx.report?.(`JSON: ${error.message}`, error.offset);
      return undefined;
    }
    throw error;
  }
  const out: Finding[] = [];
  // Outside Kubernetes JSON, `"image": "hero"` is as likely a picture: a bare word needs a '/' or tag.
  const manifest = text.includes('"apiVersion"');
  const field = (node: JsonString, context: string): boolean => {
    if (!manifest && !qualified(node.value)) return false;
    const found = findingFor(
      form,
      { start: node.start, end: node.end, value: node.value, escaping: "json-string" },
      "field",
      context,
      ctx,
    );
    if (found !== undefined) out.push(found);
    return found !== undefined;
  };
  const scanString = (node: JsonString, key: string | undefined): void => {
    if (!mayHoldReference(node.value, ctx)) return;
    if (node.end - node.start === node.value.length && !node.value.includes("\n")) {
      // No escape in it (a lockfile's thousands of registry URLs): scan the file's own characters.
      out.push(...withinString(scanFreeText(text, node.start, node.end, form, ctx), "json-string"));
      return;
    }
    const embedded = embedJsonString(text, node.start, node.end);
    if (embedded === undefined) return;
    const inner = node.value.includes("\n")
      ? extractDocument(embedded, key, ctx, form, depth + 1)
      : scanFreeText(embedded.text, 0, embedded.text.length, form, ctx);
    out.push(...remapFindings(inner, embedded));
  };
  const walk = (node: JsonNode, key: string | undefined, outerHub: HubScope | undefined): void => {
    if (node.type === "object") {
      const hub = hubScopeOf(node, outerHub);
      for (const entry of node.entries) {
        const name = entry.key.value;
        if (imageKey.test(name) && entry.value.type === "string") {
          if (field(entry.value, `"${name}":`)) continue;
          const split =
            name === "image" && hub !== undefined ? hubImageFinding(entry.value, hub, form, ctx) : undefined;
          if (split !== undefined) out.push(split);
          else scanString(entry.value, name);
        } else if (name === "images" && entry.value.type === "array") {
          for (const item of entry.value.items) {
            if (item.type !== "string" || !field(item, '"images":')) walk(item, name, hub);
          }
        } else if (!packageRuleKey.test(name)) {
          walk(entry.value, name, hub);
        }
      }
    } else if (node.type === "array") {
      for (const item of node.items) walk(item, key, outerHub);
    } else if (node.type === "string") {
      scanString(node, key);
    }
  };
  walk(root, undefined, globalHubScope(root));
  return out;
}

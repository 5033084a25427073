import type { Node, YAMLMap } from "yaml";
import type { ExtractContext, Finding, Form } from "../../types.js";
import { type Embedded, remapFindings } from "../embed.js";
import { findingFor } from "../finding.js";
import { scanFreeText } from "../free-text.js";
import { mayHoldReference } from "../hints.js";
import { extractJsonImages } from "../json/images.js";
import { scanYamlComments } from "./comments.js";
import { outerOffset, placeFindings, yamlDocuments, yamlSections } from "./documents.js";
import { tryFastYamlImages } from "./fast-path.js";
import { imageKey, scriptKey } from "./keys.js";
import {
  embeddedDocument,
  entries,
  isMap,
  isScalar,
  isSeq,
  type ParsedYaml,
  parseYaml,
  scalarSpot,
  singleQuotedDocument,
} from "./nodes.js";

/**
 * A form's own look at each map (split Helm fields, GitLab `services:`, Actions steps). `text` is
 * the text the map was parsed from (one document of the file): spans are offsets into it.
 */
export type MapHook = (map: YAMLMap, key: string | undefined, text: string) => Finding[];

/** How deep documents may nest inside strings (a JSON string in a ConfigMap in a Go string...). */
const maxDepth = 3;

/**
 * Finds every `image:` value (at any depth, in every document), `images:` lists, and references in
 * documents and scripts embedded in string values, reporting them under `form`.
 */
export function extractYamlImages(
  text: string,
  ctx: ExtractContext,
  form: Form,
  hook?: MapHook,
  depth = 0,
): Finding[] {
  if (!mayHoldReference(text, ctx)) return [];
  if (depth > 0) return extractDocument(text, ctx, form, hook, depth);
  const out: Finding[] = [];
  for (const doc of yamlDocuments(text).flatMap(yamlSections)) {
    // The pre-filter again on the document or section alone: most of a release bundle's hold none.
    if (doc.text !== text && !mayHoldReference(doc.text, ctx)) continue;
    const { report } = ctx;
    const docCtx: ExtractContext =
      report === undefined || doc.text === text
        ? ctx
        : { ...ctx, report: (message, offset) => report(message, outerOffset(doc, offset)) };
    out.push(...placeFindings(extractDocument(doc.text, docCtx, form, hook, depth), doc));
  }
  // Whole-line comments, which neither the fast path nor the parser reads: commented-out examples.
  return out.concat(scanYamlComments(text, ctx, form));
}

/**
 * `extractYamlImages` for one document (or an embedded one, at `depth` > 0), from its parse when
 * the caller has it already.
 */
function extractDocument(
  text: string,
  ctx: ExtractContext,
  form: Form,
  hook: MapHook | undefined,
  depth: number,
  given?: ParsedYaml,
): Finding[] {
  if (hook === undefined && depth === 0) {
    const fast = tryFastYamlImages(text, ctx, form);
    if (fast !== undefined) return fast;
  }
  const parsed = given ?? parseYaml(text);
  const out: Finding[] = [];
  if (parsed.error !== undefined) {
    const rest = depth === 0 ? "; the rest of the document is read line by line" : "";
    ctx.report?.(
      // The parser's "at line L, column C" counts from the document's start; the report's own line is the file's.
      `YAML: ${parsed.error.message
        .split("\n")[0]!
        .replace(/ at line \d+, column \d+/, "")
        .replace(/:$/, "")}${rest}`,
      parsed.error.offset,
    );
  }
  const walk = (node: unknown, key: string | undefined): void => {
    if (isMap(node)) {
      if (hook !== undefined) out.push(...hook(node, key, text));
      for (const [name, value] of entries(node)) {
        if (imageKey.test(name) && isScalar(value) && typeof value.value === "string") {
          const spot = scalarSpot(text, value);
          const found = spot === undefined ? undefined : findingFor(form, spot, "field", `${name}:`, ctx);
          if (found !== undefined) out.push(found);
          else scanString(value, name);
        } else if (name === "images" && isSeq(value)) {
          for (const item of value.items) {
            const spot = scalarSpot(text, item);
            const found = spot === undefined ? undefined : findingFor(form, spot, "field", "images:", ctx);
            if (found !== undefined) out.push(found);
            else walk(item, name);
          }
        } else if (name === "imagePrefix" && isScalar(value)) {
          const found = imagePrefixFinding(text, value, form, ctx);
          if (found !== undefined) out.push(found);
          else scanString(value, name);
        } else if (isScalar(value)) {
          scanString(value, name);
        } else {
          walk(value, name);
        }
      }
    } else if (isSeq(node)) {
      for (const item of node.items) {
        if (isScalar(item)) scanString(item, key);
        else walk(item, key);
      }
    }
  };
  const scanString = (node: Node, key: string | undefined): void => {
    if (!isScalar(node) || typeof node.value !== "string" || !mayHoldReference(node.value, ctx)) return;
    const embedded = node.value.includes("\n") ? embeddedDocument(text, node) : undefined;
    if (embedded !== undefined) {
      out.push(...remapFindings(extractEmbedded(embedded, key, ctx, form, depth + 1), embedded));
      return;
    }
    const spot = scalarSpot(text, node);
    if (spot === undefined) {
      const quoted = singleQuotedDocument(text, node);
      if (quoted !== undefined)
        out.push(...remapFindings(scanFreeText(quoted.text, 0, quoted.text.length, form, ctx), quoted));
      return;
    }
    if (spot.escaping === "json-string") {
      // Escapes inside: scan the decoded text and map it back.
      const inner = embeddedDocument(text, node);
      if (inner !== undefined)
        out.push(...remapFindings(scanFreeText(inner.text, 0, inner.text.length, form, ctx), inner));
      return;
    }
    const commands = key !== undefined && scriptKey.test(key);
    out.push(...scanFreeText(text, spot.start, spot.end, form, ctx, { commands }));
  };
  for (const root of parsed.roots) walk(root, undefined);
  // Kubernetes and PyYAML accept some YAML this parser rejects (a double-quoted scalar in a flow
  // sequence, continued at a smaller indent), and the parser drops what follows the error in its document: read it
  // as `key: value` lines instead. Last, so that scanText keeps what the parsed part found (with
  // its escaping) where both found the same characters.
  if (parsed.error !== undefined && depth === 0) {
    const from = text.lastIndexOf("\n", parsed.error.offset - 1) + 1;
    out.push(...scanFreeText(text, from, text.length, form, ctx, { bareNames: true }));
  }
  return out;
}

/**
 * Chartpress's `imagePrefix: quay.io/jupyterhub/k8s-`, put in front of each image's name: its
 * registry and namespace (up to the last '/') are a prefix a mapping moves; the rest is part of the
 * names. https://github.com/jupyterhub/chartpress#configuration
 */
function imagePrefixFinding(text: string, node: Node, form: Form, ctx: ExtractContext): Finding | undefined {
  const spot = scalarSpot(text, node, "registry");
  const slash = spot?.value.lastIndexOf("/") ?? -1;
  if (spot === undefined || slash <= 0) return undefined;
  const value = spot.value.slice(0, slash);
  return findingFor(form, { ...spot, end: spot.start + slash, value }, "registry", "imagePrefix:", ctx);
}

/**
 * Findings in a document held in a string: JSON, YAML, a Dockerfile or a script, told apart by the
 * key it sits under and its first characters.
 */
export function extractEmbedded(
  embedded: Embedded,
  key: string | undefined,
  ctx: ExtractContext,
  form: Form,
  depth: number,
): Finding[] {
  const inner = embedded.text;
  if (depth > maxDepth || !mayHoldReference(inner, ctx)) return [];
  const quiet: ExtractContext =
    ctx.rules === undefined ? { file: ctx.file } : { file: ctx.file, rules: ctx.rules };
  if (key === undefined || !scriptKey.test(key)) {
    const trimmed = inner.trimStart();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
      const found = extractJsonImages(inner, quiet, form, extractEmbedded, depth);
      if (found !== undefined) return found;
    }
    if (!/^\s*FROM\s/m.test(inner)) {
      // Parsed once: the parse that tells YAML apart is the one read (nested documents in a
      // ConfigMap, such as a sidecar injector's templates, are parsed at every level).
      const parsed = parseYaml(inner);
      if (parsed.error === undefined && parsed.roots.some((r) => isMap(r) || isSeq(r))) {
        return extractDocument(inner, quiet, form, undefined, depth, parsed);
      }
    }
  }
  return scanFreeText(inner, 0, inner.length, form, quiet, { commands: true, assignments: true });
}

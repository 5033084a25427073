import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter, type Node } from "yaml";
import type { ConfigIssue } from "./error.js";
import { suggestName } from "./suggest.js";

/** A place in the config: its field path, the key node that names it and the value node, when there is one. */
export interface ConfigField {
  readonly path: string;
  readonly key?: Node | undefined;
  readonly value?: Node | undefined;
}

/**
 * Reads a YAML document field by field, collecting every problem with the line and column of the
 * node at fault instead of stopping at the first. Validation walks the nodes themselves (not the
 * plain JS value), so each issue points where the user has to look.
 */
export class ConfigReader {
  readonly issues: ConfigIssue[] = [];
  readonly #doc: Document;
  readonly #lines: LineCounter;

  constructor(doc: Document, lines: LineCounter) {
    this.#doc = doc;
    this.#lines = lines;
  }

  /** Records a problem at the field's value (or its key, when the value is empty). */
  report(field: ConfigField, message: string): void {
    const node = isEmpty(field.value) && field.key !== undefined ? field.key : (field.value ?? field.key);
    this.reportAt(node?.range?.[0] ?? 0, field.path, message);
  }

  /** Records a problem at a character offset (YAML syntax errors). */
  reportAt(offset: number, path: string, message: string): void {
    const { line, col } = this.#lines.linePos(offset);
    this.issues.push({ line, column: col, path, message });
  }

  /**
   * The fields of a mapping, by name. Unknown keys are reported (with a did-you-mean), so a typo
   * never passes silently; undefined when the node is not a mapping.
   */
  fields(field: ConfigField, known: readonly string[]): Map<string, ConfigField> | undefined {
    const entries = this.entries(field);
    if (entries === undefined) return undefined;
    const found = new Map<string, ConfigField>();
    for (const [name, entry] of entries) {
      if (known.includes(name)) {
        found.set(name, entry);
        continue;
      }
      const suggestion = suggestName(name, known);
      this.report(
        { path: entry.path, key: entry.key },
        `unknown field${suggestion === undefined ? "" : ` (did you mean "${suggestion}"?)`}; known fields: ${known.join(", ")}`,
      );
    }
    return found;
  }

  /** Every entry of a mapping with free keys (hosts, image names), in file order. */
  entries(field: ConfigField): Map<string, ConfigField> | undefined {
    const node = this.resolve(field.value);
    if (!isMap(node)) {
      this.report(field, `want a mapping, got ${describe(node)}`);
      return undefined;
    }
    const found = new Map<string, ConfigField>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pair.key : undefined;
      if (key === undefined || (typeof key.value !== "string" && typeof key.value !== "number")) {
        this.report({ path: field.path, value: pair.key as Node }, "a key must be a plain name");
        continue;
      }
      const name = String(key.value);
      found.set(name, {
        path: childPath(field.path, name),
        key,
        value: (pair.value as Node | null) ?? undefined,
      });
    }
    return found;
  }

  /** The items of a sequence, each with its `path[i]`; undefined when the node is not a sequence. */
  items(field: ConfigField): ConfigField[] | undefined {
    const node = this.resolve(field.value);
    if (!isSeq(node)) {
      this.report(field, `want a list, got ${describe(node)}`);
      return undefined;
    }
    return node.items.map((item, index) => ({ path: `${field.path}[${index}]`, value: item as Node }));
  }

  /** A non-empty string. Numbers and booleans are refused (`1.2` must be quoted to mean "1.2"). */
  string(field: ConfigField): string | undefined {
    const node = this.resolve(field.value);
    if (isScalar(node) && typeof node.value === "string") {
      if (node.value.trim() !== "") return node.value;
      this.report(field, "must not be empty");
      return undefined;
    }
    const quote = isScalar(node) && (typeof node.value === "number" || typeof node.value === "boolean");
    this.report(field, `want a string, got ${describe(node)}${quote ? " (put it in quotes)" : ""}`);
    return undefined;
  }

  /** A list of non-empty strings. */
  strings(field: ConfigField): string[] | undefined {
    const items = this.items(field);
    if (items === undefined) return undefined;
    const values = items.map((item) => this.string(item));
    return values.every((value) => value !== undefined) ? (values as string[]) : undefined;
  }

  /** true or false. */
  boolean(field: ConfigField): boolean | undefined {
    const node = this.resolve(field.value);
    if (isScalar(node) && typeof node.value === "boolean") return node.value;
    this.report(field, `want true or false, got ${describe(node)}`);
    return undefined;
  }

  /** A number (ranges are the caller's to check). */
  number(field: ConfigField): number | undefined {
    const node = this.resolve(field.value);
    if (isScalar(node) && typeof node.value === "number") return node.value;
    this.report(field, `want a number, got ${describe(node)}`);
    return undefined;
  }

  /** Follows an alias (`*anchor`) to the node it names. */
  resolve(node: Node | undefined): Node | undefined {
    if (isAlias(node)) return (node.resolve(this.#doc) as Node | undefined) ?? undefined;
    return node;
  }
}

/** `parent.name`, or `parent["registry.local:5000"]` when the name is not a plain identifier. */
export function childPath(parent: string, name: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) return parent === "" ? name : `${parent}.${name}`;
  return `${parent}[${JSON.stringify(name)}]`;
}

function isEmpty(node: Node | undefined): boolean {
  return node === undefined || (isScalar(node) && node.value === null);
}

/** What kind of YAML value a node holds, for messages (never the value itself: it could be a secret). */
function describe(node: Node | undefined): string {
  if (isEmpty(node)) return "nothing";
  if (isMap(node)) return "a mapping";
  if (isSeq(node)) return "a list";
  if (isScalar(node)) {
    if (typeof node.value === "string") return "a string";
    if (typeof node.value === "number") return "a number";
    if (typeof node.value === "boolean") return "a boolean";
  }
  return "something else";
}

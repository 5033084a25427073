import { type Reference, tryParseReference } from "./reference.js";

/** Where a template or variable starts: `${{ }}`, `{{ }}`, `${X}`, `$(X)`, `$X`. */
const templateStart = /\$\{\{|\{\{|\$[({A-Za-z_]/;

/**
 * The literal name of a reference whose template or variable sits only in its tag or digest
 * (`ghcr.io/org/app:${{ github.ref_name }}`, `org/app:v{{ .Version }}`): `text` is the name as
 * written (the characters before the `:` or `@`), `reference` its parse. Undefined when the name
 * itself holds a template, or the value holds none. A CI push destination is mostly written so.
 */
export function splitTemplatedTag(value: string): { text: string; reference: Reference } | undefined {
  const at = value.search(templateStart);
  if (at <= 0) return undefined;
  const before = value.slice(0, at);
  const separator = Math.max(before.lastIndexOf(":"), before.lastIndexOf("@"));
  if (separator <= before.lastIndexOf("/")) return undefined;
  const text = before.slice(0, separator);
  const reference = tryParseReference(text);
  return reference !== undefined && reference.tag === undefined && reference.digest === undefined
    ? { text, reference }
    : undefined;
}

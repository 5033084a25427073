import { type MappingRule, mapName } from "../../reference/mapping.js";
import { parseReference } from "../../reference/reference.js";

/**
 * An image name a workflow publishes to, mapped: `text` as written (`docker.io/org/app:${{ github.ref_name }}`),
 * `target` the same with the name moved by the rules and everything after the name (a tag, a
 * template) kept, and both registry hosts.
 */
export interface MappedImageName {
  readonly text: string;
  readonly target: string;
  readonly sourceHost: string;
  readonly targetHost: string;
}

/**
 * A repository name at the start of a line: an optional `host[:port]/`, then path components in
 * the distribution grammar. What follows it must be the end, a tag (`:`) or a digest (`@`); a tag
 * may be a workflow template, which the reference grammar would refuse, so it is kept as text.
 * https://github.com/distribution/reference/blob/v0.6.0/regexp.go
 */
const leadingName =
  /^((?:[A-Za-z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?=$|[:@])/;

/**
 * Maps one image name (with or without a tag or template after it) through the rules; undefined
 * when it is not a literal name (`${{ env.IMAGE }}`) or no rule covers it.
 */
export function mapImageName(rules: readonly MappingRule[], text: string): MappedImageName | undefined {
  const name = leadingName.exec(text)?.[1];
  if (name === undefined) return undefined;
  let normalized: string;
  try {
    normalized = parseReference(name).name;
  } catch {
    return undefined;
  }
  const mapped = mapName(rules, normalized);
  if (mapped === undefined) return undefined;
  return {
    text,
    target: mapped + text.slice(name.length),
    sourceHost: normalized.slice(0, normalized.indexOf("/")),
    targetHost: mapped.slice(0, mapped.indexOf("/")),
  };
}

import type { YAMLMap } from "yaml";
import { findingFor, findingForFields, type Spot } from "../finding.js";
import type { ExtractContext, FieldRole, Finding } from "../types.js";
import { extractYamlImages } from "../yaml/images.js";
import { entries, scalarSpot } from "../yaml/nodes.js";

/** Sibling keys of a split reference and the role each plays. */
const splitKeys: ReadonlyArray<[string, FieldRole]> = [
  ["registry", "registry"],
  ["repository", "repository"],
  ["tag", "tag"],
  ["digest", "digest"],
];

/**
 * Helm values: `image:` strings as in manifests, plus references split over fields
 * (`image: {registry, repository, tag, digest}`, `repository` and `tag` side by side) reported as
 * one logical reference spanning them, and `global.imageRegistry` as a prefix.
 */
export function extractHelmValues(text: string, context: ExtractContext): Finding[] {
  const hook = (map: YAMLMap, key: string | undefined, text: string): Finding[] => {
    const fields = new Map(entries(map));
    const out: Finding[] = [];
    const registry = scalarSpot(text, fields.get("imageRegistry"), "registry");
    if (registry !== undefined) {
      const found = findingFor("helm-values", registry, "registry", `${key ?? ""}.imageRegistry`, context);
      if (found !== undefined) out.push(found);
    }
    if (!fields.has("repository")) return out;
    const imageish =
      (key !== undefined && /image/i.test(key)) ||
      fields.has("tag") ||
      fields.has("registry") ||
      fields.has("digest");
    if (!imageish) return out;
    const spots: Spot[] = [];
    const parts: Partial<Record<FieldRole, string>> = {};
    for (const [name, role] of splitKeys) {
      const spot = scalarSpot(text, fields.get(name), role);
      if (spot === undefined) continue;
      spots.push(spot);
      parts[role] = spot.value;
    }
    if (parts.repository === undefined) return out;
    const value =
      (parts.registry !== undefined ? `${parts.registry.replace(/\/$/, "")}/` : "") +
      parts.repository +
      (parts.tag !== undefined ? `:${parts.tag}` : "") +
      (parts.digest !== undefined ? `@${parts.digest}` : "");
    const found = findingForFields(
      "helm-values",
      value,
      spots,
      `${key ?? ""}: {${spots.map((s) => s.role).join(", ")}}`,
      context,
    );
    if (found !== undefined) out.push(found);
    return out;
  };
  return extractYamlImages(text, context, "helm-values", hook);
}

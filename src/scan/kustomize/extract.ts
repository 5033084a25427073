import { findingForFields, type Spot } from "../engine/finding.js";
import { entries, get, isMap, isSeq, parseYaml, scalarSpot } from "../engine/yaml/nodes.js";
import type { ExtractContext, FieldRole, Finding } from "../types.js";

const roles: ReadonlyArray<[string, FieldRole]> = [
  ["name", "kustomize-name"],
  ["newName", "kustomize-newName"],
  ["newTag", "kustomize-newTag"],
  ["digest", "kustomize-digest"],
];

/**
 * kustomize `images:` entries: `name` with `newName`, `newTag` and `digest` form one logical
 * reference (`newName` or else `name`, then the tag and digest). The `name` field is reported too:
 * it must keep matching what the base manifests say, so a rewrite moves it with them.
 */
export function extractKustomize(text: string, context: ExtractContext): Finding[] {
  if (!text.includes("images")) return [];
  const out: Finding[] = [];
  for (const root of parseYaml(text).roots) {
    const images = get(root, "images");
    if (!isSeq(images)) continue;
    for (const item of images.items) {
      if (!isMap(item)) continue;
      const fields = new Map(entries(item));
      const spots: Spot[] = [];
      const parts: Partial<Record<string, string>> = {};
      for (const [name, role] of roles) {
        const spot = scalarSpot(text, fields.get(name), role);
        if (spot === undefined) continue;
        spots.push(spot);
        parts[name] = spot.value;
      }
      const name = parts["newName"] ?? parts["name"];
      if (name === undefined || spots.length < 2) continue;
      const value =
        name +
        (parts["newTag"] !== undefined ? `:${parts["newTag"]}` : "") +
        (parts["digest"] !== undefined ? `@${parts["digest"]}` : "");
      const found = findingForFields("kustomize", value, spots, "kustomize images:", context);
      if (found !== undefined) out.push(found);
    }
  }
  return out;
}

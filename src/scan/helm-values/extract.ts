import type { YAMLMap } from "yaml";
import { parseCandidate } from "../engine/candidate.js";
import { findingFor, findingForFields, type Spot } from "../engine/finding.js";
import { extractYamlImages } from "../engine/yaml/images.js";
import { entries, get, isScalar, scalarSpot } from "../engine/yaml/nodes.js";
import type { ExtractContext, FieldRole, Finding } from "../types.js";

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
 * one logical reference spanning them, and `global.imageRegistry` as a prefix. A `digest` (or
 * other field) that is null, `~` or empty is absent. A global registry (`global.imageRegistry`,
 * Bitnami's; `global.image.registry`) that differs from an image's own is what charts' helpers put
 * in front of it (`{{ .Values.global.image.registry | default .Values.image.registry }}`): that
 * image is reported as partial, resolved to the global registry, for a person to look at.
 */
export function extractHelmValues(text: string, context: ExtractContext): Finding[] {
  let global: string | undefined;
  let root = true;
  const hook = (map: YAMLMap, key: string | undefined, text: string): Finding[] => {
    const out: Finding[] = [];
    if (root) {
      root = false;
      global = globalRegistry(map);
      // Reported as a prefix, as `imageRegistry` is: a rewrite moves it with the images under it.
      const spot = scalarSpot(text, get(get(get(map, "global"), "image"), "registry"), "registry");
      const found =
        spot === undefined
          ? undefined
          : findingFor("helm-values", spot, "registry", "global.image.registry", context);
      if (found !== undefined) out.push(found);
    }
    const fields = new Map(entries(map));
    const registry = scalarSpot(text, fields.get("imageRegistry"), "registry");
    if (registry !== undefined) {
      const found = findingFor("helm-values", registry, "registry", `${key ?? ""}.imageRegistry`, context);
      if (found !== undefined) out.push(found);
    }
    // Traefik's and others' `image: {name: traefik, tag: v2.10}`: `name` is the repository.
    const repositoryKey = fields.has("repository")
      ? "repository"
      : key !== undefined && /image/i.test(key) && fields.has("name") && fields.has("tag")
        ? "name"
        : undefined;
    if (repositoryKey === undefined) return out;
    const imageish =
      (key !== undefined && /image/i.test(key)) ||
      fields.has("tag") ||
      fields.has("registry") ||
      fields.has("digest");
    if (!imageish) return out;
    const spots: Spot[] = [];
    const parts: Partial<Record<FieldRole, string>> = {};
    for (const [name, role] of splitKeys) {
      const node = fields.get(role === "repository" ? repositoryKey : name);
      // `digest: null`, `digest: ~`, `digest:`: no digest, not a reason to drop the reference.
      if (isScalar(node) && node.value === null) continue;
      const spot = scalarSpot(text, node, role);
      if (spot === undefined) continue;
      spots.push(spot);
      parts[role] = spot.value;
    }
    if (parts.repository === undefined) return out;
    const rest =
      parts.repository +
      (parts.tag !== undefined ? `:${parts.tag}` : "") +
      (parts.digest !== undefined ? `@${parts.digest}` : "");
    const value = (parts.registry !== undefined ? `${parts.registry.replace(/\/$/, "")}/` : "") + rest;
    const roles = spots.map((s) => s.role).join(", ");
    const found = findingForFields("helm-values", value, spots, `${key ?? ""}: {${roles}}`, context);
    if (found === undefined) return out;
    const ownDomain = found.kind === "complete" ? parseCandidate(value)?.domain : undefined;
    const globalDomain = global === undefined ? undefined : parseCandidate(`${global}/x`)?.domain;
    if (ownDomain === undefined || globalDomain === undefined || ownDomain === globalDomain) {
      out.push(found);
      return out;
    }
    const split = findingForFields(
      "helm-values",
      `{{ .Values.global.image.registry }}/${rest}`,
      spots.filter((s) => s.role !== "registry"),
      `${key ?? ""}: {${roles}} under global registry ${global}`,
      context,
    );
    if (split !== undefined) out.push({ ...split, resolved: `${global}/${rest}` });
    return out;
  };
  return extractYamlImages(text, context, "helm-values", hook);
}

/** The registry a chart's values set for every image: `global.imageRegistry` or `global.image.registry`. */
function globalRegistry(root: YAMLMap): string | undefined {
  const global = get(root, "global");
  for (const node of [get(global, "imageRegistry"), get(get(global, "image"), "registry")]) {
    if (isScalar(node) && typeof node.value === "string" && node.value !== "")
      return node.value.replace(/\/$/, "");
  }
  return undefined;
}

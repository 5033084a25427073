import type { YAMLMap } from "yaml";
import { findingFor } from "../engine/finding.js";
import { extractYamlImages } from "../engine/yaml/images.js";
import { entries, get, isMap, isScalar, isSeq, scalarSpot } from "../engine/yaml/nodes.js";
import type { ExtractContext, Finding } from "../types.js";

/** GitLab CI: `image:` (a name or `{name: ...}`) and `services:` (names or `{name: ...}`), at top level or in jobs. */
export function extractGitlabCi(text: string, context: ExtractContext): Finding[] {
  const hook = (map: YAMLMap, key: string | undefined, text: string): Finding[] => {
    const out: Finding[] = [];
    const named = (node: unknown, label: string): void => {
      const spot = scalarSpot(text, isMap(node) ? get(node, "name") : node);
      const found = spot === undefined ? undefined : findingFor("gitlab-ci", spot, "field", label, context);
      if (found !== undefined) out.push(found);
    };
    if (key === "image") named(map, "image: name:");
    for (const [name, value] of entries(map)) {
      if (name === "services" && isSeq(value)) {
        for (const item of value.items) named(item, isScalar(item) ? "services:" : "services: name:");
      }
    }
    return out;
  };
  return extractYamlImages(text, context, "gitlab-ci", hook);
}

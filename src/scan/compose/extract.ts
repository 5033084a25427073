import type { YAMLMap } from "yaml";
import { findingFor } from "../engine/finding.js";
import { extractYamlImages } from "../engine/yaml/images.js";
import { get, scalarSpot } from "../engine/yaml/nodes.js";
import type { ExtractContext, Finding } from "../types.js";

/**
 * docker-compose files: `services.*.image` (with `${VAR:-default}` making a partial reference
 * whose defaults give `resolved`). A service with both `build:` and `image:` builds that image here.
 */
export function extractCompose(text: string, context: ExtractContext): Finding[] {
  const hook = (map: YAMLMap, _key: string | undefined, text: string): Finding[] => {
    if (get(map, "build") === undefined) return [];
    const spot = scalarSpot(text, get(map, "image"));
    const found =
      spot === undefined
        ? undefined
        : findingFor("compose", spot, "field", "image: (with build:)", context, { build: true });
    return found === undefined ? [] : [found];
  };
  return extractYamlImages(text, context, "compose", hook);
}

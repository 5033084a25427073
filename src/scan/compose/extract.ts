import type { ExtractContext, Finding } from "../types.js";
import { extractYamlImages } from "../yaml/images.js";

/** docker-compose files: `services.*.image` (with `${VAR:-default}` making a partial reference). */
export function extractCompose(text: string, context: ExtractContext): Finding[] {
  return extractYamlImages(text, context, "compose");
}

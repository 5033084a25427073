import { scanFreeText } from "../engine/free-text.js";
import type { ExtractContext, Finding } from "../types.js";

/**
 * Jsonnet and libsonnet (kube-prometheus, Tanka): images are fields (`image: 'quay.io/x:v1'`) and
 * locals (`local image = '...'`) in the source the project's manifests are generated from, so a
 * migration that skipped them would be undone by the next generation. Read as free text with image
 * keys, commands and known registries, as other configuration code.
 */
export function extractJsonnet(text: string, context: ExtractContext): Finding[] {
  return scanFreeText(text, 0, text.length, "jsonnet", context, { commands: true });
}

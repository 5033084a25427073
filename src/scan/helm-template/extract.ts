import { scanFreeText } from "../engine/free-text.js";
import type { ExtractContext, Finding } from "../types.js";

/**
 * Helm templates (not YAML until rendered): `image:` lines, where `{{ }}` makes a partial
 * reference, and known-registry names anywhere.
 */
export function extractHelmTemplate(text: string, context: ExtractContext): Finding[] {
  return scanFreeText(text, 0, text.length, "helm-template", context, {
    commands: true,
    pureVariables: true,
  });
}

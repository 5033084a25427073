import { scanFreeText } from "../engine/free-text.js";
import type { ExtractContext, Finding } from "../types.js";

/**
 * Helm templates (not YAML until rendered): `image:` lines, where `{{ }}` makes a partial
 * reference, known-registry names anywhere, and a bare name after a line's own `image:` key (a
 * chart's test pod: `image: busybox`).
 */
export function extractHelmTemplate(text: string, context: ExtractContext): Finding[] {
  return scanFreeText(text, 0, text.length, "helm-template", context, {
    commands: true,
    pureVariables: true,
    bareNames: true,
  });
}

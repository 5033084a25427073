import { findingFor } from "../engine/finding.js";
import { scanFreeText } from "../engine/free-text.js";
import type { ExtractContext, Finding } from "../types.js";

/**
 * A quoted default inside a template action (`{{ .Values.image | default "ghcr.io/org/app:v1" }}`,
 * `{{ default "org/app:v1" .Values.image }}`): the image the chart renders unless a value is set.
 * https://helm.sh/docs/chart_template_guide/functions_and_pipelines/#using-the-default-function
 */
const templateDefault = /\{\{-?[^}\n]*?\bdefault\s+"([^"\s{}$]+)"[^}\n]*\}\}/g;
/** A line whose key names an image (`image:`, `- image:`, `initImage:`). */
const imageKeyLine = /^\s*(?:-\s+)?["']?\w*(?:image|img)\w*["']?\s*:/i;

/**
 * Helm templates (not YAML until rendered): `image:` lines, where `{{ }}` makes a partial
 * reference, known-registry names anywhere, a bare name after a line's own `image:` key (a
 * chart's test pod: `image: busybox`), and a quoted default in an `image:` line's template action.
 */
export function extractHelmTemplate(text: string, context: ExtractContext): Finding[] {
  const out = scanFreeText(text, 0, text.length, "helm-template", context, {
    commands: true,
    pureVariables: true,
    bareNames: true,
  });
  if (!text.includes("default")) return out;
  for (const m of text.matchAll(templateDefault)) {
    const lineStart = text.lastIndexOf("\n", m.index) + 1;
    if (!imageKeyLine.test(text.slice(lineStart, m.index))) continue;
    const value = m[1]!;
    const start = m.index + m[0].indexOf(`"${value}"`) + 1;
    if (!/[/:@]/.test(value) || out.some((f) => f.fields.some((field) => field.start === start))) continue;
    const found = findingFor(
      "helm-template",
      { start, end: start + value.length, value },
      "field",
      "template default",
      context,
    );
    if (found !== undefined) out.push(found);
  }
  return out;
}

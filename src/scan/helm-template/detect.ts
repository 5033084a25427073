import { type DetectFormat, inTemplatesDirectory, isYamlName } from "../file-name.js";
import { extractHelmTemplate } from "./extract.js";

/**
 * Helm templates: files under a chart's `templates/` that hold `{{` (YAML that is not YAML until
 * rendered), and `.tpl` helpers there.
 */
export const detectHelmTemplate: DetectFormat = (name, text) =>
  inTemplatesDirectory(name) && ((isYamlName(name) && text.includes("{{")) || name.ext === "tpl")
    ? [extractHelmTemplate]
    : undefined;

import { type DetectFormat, isYamlName } from "../file-name.js";
import { extractHelmValues } from "../helm-values/extract.js";
import { extractKubernetes } from "./extract.js";

/**
 * Every other YAML file: read as manifests (`image:` strings). Split `repository`/`tag` fields also
 * live in config YAML that is not a chart's values, so such a file is read as Helm values too.
 * Claims every YAML file, so it comes after the other YAML forms.
 */
export const detectKubernetes: DetectFormat = (name, text) => {
  if (!isYamlName(name)) return undefined;
  return /\brepository:|imageRegistry:/.test(text)
    ? [extractKubernetes, extractHelmValues]
    : [extractKubernetes];
};

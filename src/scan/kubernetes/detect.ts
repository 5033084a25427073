import { type DetectFormat, isYamlName } from "../file-name.js";
import { extractHelmValues } from "../helm-values/extract.js";
import { extractKubernetes } from "./extract.js";

/**
 * helm-unittest's snapshots (`tests/__snapshot__/*.snap`): YAML whose values are the rendered
 * manifests, as block strings. https://github.com/helm-unittest/helm-unittest/blob/main/DOCUMENT.md#snapshot-testing
 */
const helmUnittestSnapshot = /(?:^|\/)__snapshot__\/[^/]+\.snap$/;

/**
 * Every other YAML file, and helm-unittest snapshots: read as manifests (`image:` strings). Split `repository`/`tag` fields also
 * live in config YAML that is not a chart's values, so such a file is read as Helm values too.
 * Claims every YAML file, so it comes after the other YAML forms.
 */
export const detectKubernetes: DetectFormat = (name, text) => {
  if (!isYamlName(name) && !helmUnittestSnapshot.test(name.path)) return undefined;
  return /\brepository:|imageRegistry:/.test(text)
    ? [extractKubernetes, extractHelmValues]
    : [extractKubernetes];
};

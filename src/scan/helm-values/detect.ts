import { type DetectFormat, isYamlName } from "../file-name.js";
import { extractHelmValues } from "./extract.js";

/** Helm values: `values.yaml`, `values-prod.yaml`, `values.dev.yml`. */
export const detectHelmValues: DetectFormat = (name) =>
  isYamlName(name) && /^values(?:[.-].*)?\.ya?ml$/.test(name.lower) ? [extractHelmValues] : undefined;

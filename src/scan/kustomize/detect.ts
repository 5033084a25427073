import { type DetectFormat, isYamlName } from "../file-name.js";
import { extractKubernetes } from "../kubernetes/extract.js";
import { extractKustomize } from "./extract.js";

/**
 * `kustomization.yaml`: its `images:` entries first, then the manifests' reading of the same file
 * (a kustomization may also hold inline patches with `image:` fields).
 */
export const detectKustomize: DetectFormat = (name) =>
  isYamlName(name) && /^kustomization\.ya?ml$/.test(name.lower)
    ? [extractKustomize, extractKubernetes]
    : undefined;

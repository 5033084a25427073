import { extractYamlImages } from "../engine/yaml/images.js";
import type { ExtractContext, Finding } from "../types.js";

/**
 * Kubernetes manifests (multi-document): every `image:` at any depth, so CRDs (Katib Experiments,
 * Argo Workflows, Tekton Tasks) are covered, `images:` lists, and documents embedded in strings
 * (ConfigMap data) with positions in this file.
 */
export function extractKubernetes(text: string, context: ExtractContext): Finding[] {
  return extractYamlImages(text, context, "kubernetes");
}

import { extractYamlImages } from "../engine/yaml/images.js";
import type { ExtractContext, Finding } from "../types.js";
import { buildToolHook } from "./build-tools.js";

/**
 * Kubernetes manifests (multi-document): every `image:` at any depth, so CRDs (Katib Experiments,
 * Argo Workflows, Tekton Tasks) are covered, `images:` lists, and documents embedded in strings
 * (ConfigMap data) with positions in this file. Build tools' YAML (skaffold, goreleaser, ko) is
 * read the same way, with what they push or build on (see buildToolHook).
 */
export function extractKubernetes(text: string, context: ExtractContext): Finding[] {
  return extractYamlImages(text, context, "kubernetes", buildToolHook(context));
}

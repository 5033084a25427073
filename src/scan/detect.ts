import { extractCompose } from "./compose/extract.js";
import { extractDockerfile } from "./dockerfile/extract.js";
import { extractGithubActions } from "./github-actions/extract.js";
import { extractGitlabCi } from "./gitlab-ci/extract.js";
import { extractHelmTemplate } from "./helm-template/extract.js";
import { extractHelmValues } from "./helm-values/extract.js";
import { extractJson } from "./json/extract.js";
import { extractJsonnet } from "./jsonnet/extract.js";
import { extractKubernetes } from "./kubernetes/extract.js";
import { extractKustomize } from "./kustomize/extract.js";
import { extractMakefile } from "./makefile/extract.js";
import { extractMarkdown } from "./markdown/extract.js";
import { extractNotebook } from "./notebook/extract.js";
import { extractPinFile } from "./pin-file/extract.js";
import { extractRestructuredtext } from "./restructuredtext/extract.js";
import { extractShell } from "./shell/extract.js";
import { extractSource } from "./source/extract.js";
import { languageOf } from "./source/literals.js";
import type { ExtractContext, Finding } from "./types.js";

/** An extractor: a pure function from a file's text to its findings. */
export type Extractor = (text: string, context: ExtractContext) => Finding[];

/**
 * Picks the extractors for a file, most specific first (when two report the same span, the first
 * wins). By name and path, and for YAML and extension-less files by content: a YAML file may be a
 * kustomization, Helm values or template, compose file, workflow, GitLab CI or plain manifests.
 */
export function detectExtractors(file: string, text: string): Extractor[] {
  const base = file.slice(file.lastIndexOf("/") + 1);
  const lower = base.toLowerCase();
  const ext = lower.includes(".") ? lower.slice(lower.lastIndexOf(".") + 1) : "";
  if (
    /^(?:dockerfile|containerfile)(?:[.-].*)?$/.test(lower) ||
    ext === "dockerfile" ||
    ext === "containerfile"
  ) {
    return [extractDockerfile];
  }
  if (lower === "makefile" || lower === "gnumakefile" || ext === "mk" || ext === "make")
    return [extractMakefile];
  if (ext === "sh" || ext === "bash" || ext === "zsh" || ext === "env" || lower === ".env")
    return [extractShell];
  if (ext === "yaml" || ext === "yml") return yamlExtractors(file, lower, text);
  if (ext === "ipynb") return [extractNotebook];
  if (ext === "json") return [extractJson];
  if (ext === "md" || ext === "markdown" || ext === "mdx") return [extractMarkdown];
  if (ext === "rst") return [extractRestructuredtext];
  if (ext === "tpl" && /(?:^|\/)templates\//.test(file)) return [extractHelmTemplate];
  if (languageOf(file) !== undefined) return [extractSource];
  if (ext === "jsonnet" || ext === "libsonnet") return [extractJsonnet];
  if (ext === "" && /^#!.*\b(?:ba|z|da)?sh\b/.test(text.slice(0, 80))) return [extractShell];
  if (ext === "" && !base.startsWith(".")) return [extractPinFile];
  return [];
}

function yamlExtractors(file: string, lower: string, text: string): Extractor[] {
  if (/(?:^|\/)\.github\/workflows\//.test(file) || lower === "action.yml" || lower === "action.yaml") {
    return [extractGithubActions];
  }
  if (lower === ".gitlab-ci.yml" || lower.endsWith(".gitlab-ci.yml") || /(?:^|\/)\.gitlab\/ci\//.test(file)) {
    return [extractGitlabCi];
  }
  if (/^(?:docker-)?compose(?:[.-].*)?\.ya?ml$/.test(lower)) return [extractCompose];
  if (/^kustomization\.ya?ml$/.test(lower)) return [extractKustomize, extractKubernetes];
  if (/(?:^|\/)templates\//.test(file) && text.includes("{{")) return [extractHelmTemplate];
  if (/^values(?:[.-].*)?\.ya?ml$/.test(lower)) return [extractHelmValues];
  // Split `repository`/`tag` fields also live in other config YAML; manifests have `image:` strings.
  return /\brepository:|imageRegistry:/.test(text)
    ? [extractKubernetes, extractHelmValues]
    : [extractKubernetes];
}

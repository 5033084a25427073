import { detectCompose } from "./compose/detect.js";
import { detectDockerfile } from "./dockerfile/detect.js";
import { type DetectFormat, type Extractor, fileNameOf } from "./file-name.js";
import { detectGithubActions } from "./github-actions/detect.js";
import { detectGitlabCi } from "./gitlab-ci/detect.js";
import { detectHelmTemplate } from "./helm-template/detect.js";
import { detectHelmValues } from "./helm-values/detect.js";
import { detectJson } from "./json/detect.js";
import { detectJsonnet } from "./jsonnet/detect.js";
import { detectKubernetes } from "./kubernetes/detect.js";
import { detectKustomize } from "./kustomize/detect.js";
import { detectMakefile } from "./makefile/detect.js";
import { detectMarkdown } from "./markdown/detect.js";
import { detectNotebook } from "./notebook/detect.js";
import { detectPinFile } from "./pin-file/detect.js";
import { detectRestructuredtext } from "./restructuredtext/detect.js";
import { detectShell, detectShellScript } from "./shell/detect.js";
import { detectSource } from "./source/detect.js";

export type { Extractor } from "./file-name.js";

/**
 * Every format's detection, in precedence order: the first that claims a file decides its
 * extractors. Names before content; the YAML forms from the most specific (a workflow, a
 * kustomization) to the catch-all (manifests); extension-less files by `#!` line, then as pin files.
 */
const formats: readonly DetectFormat[] = [
  detectDockerfile,
  detectMakefile,
  detectShell,
  detectGithubActions,
  detectGitlabCi,
  detectCompose,
  detectKustomize,
  detectHelmTemplate,
  detectHelmValues,
  detectKubernetes,
  detectNotebook,
  detectJson,
  detectMarkdown,
  detectRestructuredtext,
  detectSource,
  detectJsonnet,
  detectShellScript,
  detectPinFile,
];

/**
 * Picks the extractors for a file, most specific first (when two report the same span, the first
 * wins): the first format in `formats` that claims it, by name and path, and for YAML and
 * extension-less files by content. Each format's rule is in its folder's `detect.ts`.
 */
export function detectExtractors(file: string, text: string): Extractor[] {
  const name = fileNameOf(file);
  for (const detect of formats) {
    const extractors = detect(name, text);
    if (extractors !== undefined) return extractors;
  }
  return [];
}

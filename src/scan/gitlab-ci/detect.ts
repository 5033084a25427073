import { type DetectFormat, isYamlName } from "../file-name.js";
import { extractGitlabCi } from "./extract.js";

/** GitLab CI: `.gitlab-ci.yml` (and `*.gitlab-ci.yml`), and YAML under `.gitlab/ci/`. */
export const detectGitlabCi: DetectFormat = (name) =>
  isYamlName(name) &&
  (name.lower === ".gitlab-ci.yml" ||
    name.lower.endsWith(".gitlab-ci.yml") ||
    /(?:^|\/)\.gitlab\/ci\//.test(name.path))
    ? [extractGitlabCi]
    : undefined;

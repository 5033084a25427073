import { type DetectFormat, isYamlName } from "../file-name.js";
import { extractGithubActions } from "./extract.js";

/** GitHub Actions: YAML under `.github/workflows/`, and composite actions' `action.yml`. */
export const detectGithubActions: DetectFormat = (name) =>
  isYamlName(name) &&
  (/(?:^|\/)\.github\/workflows\//.test(name.path) ||
    name.lower === "action.yml" ||
    name.lower === "action.yaml")
    ? [extractGithubActions]
    : undefined;

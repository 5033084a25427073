import { findDockerLogins, type LoginSpot } from "./engine/docker-login.js";
import { fileNameOf } from "./file-name.js";
import { detectGithubActions } from "./github-actions/detect.js";
import { findLoginSteps } from "./github-actions/logins.js";
import { detectGitlabCi } from "./gitlab-ci/detect.js";
import { detectMakefile } from "./makefile/detect.js";
import { detectShell, detectShellScript } from "./shell/detect.js";

/**
 * The log-ins to registries a file performs, by offset: docker/login-action steps in GitHub
 * workflows, and `docker login HOST` in workflows, GitLab CI, Makefiles and shell scripts (not in
 * docs: a README telling a reader to log in is no CI step). After a switch, a log-in that still
 * names the source registry means CI will push there.
 */
export function findLogins(file: string, text: string): LoginSpot[] {
  if (!text.includes("login")) return [];
  const name = fileNameOf(file);
  const workflow = detectGithubActions(name, text) !== undefined;
  const script =
    workflow ||
    [detectGitlabCi, detectMakefile, detectShell, detectShellScript].some((d) => d(name, text) !== undefined);
  if (!script) return [];
  const commands = findDockerLogins(text, 0, text.length);
  return workflow ? [...findLoginSteps(text), ...commands].sort((a, b) => a.offset - b.offset) : commands;
}

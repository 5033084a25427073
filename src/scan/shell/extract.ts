import { scanFreeText } from "../engine/free-text.js";
import type { ExtractContext, Finding } from "../types.js";

/**
 * Shell scripts: container-tool commands (`docker build -t`, `push`, `pull`, `tag`, `run`, `kind
 * load docker-image`, `crane`, `skopeo`), `IMAGE=...` and `OLD_PREFIX="docker.io/x/"` assignments
 * (the latter a prefix), and known-registry names.
 */
export function extractShell(text: string, context: ExtractContext): Finding[] {
  return scanFreeText(text, 0, text.length, "shell", context, { commands: true, assignments: true });
}

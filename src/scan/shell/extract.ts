import { scanFreeText } from "../engine/free-text.js";
import type { ExtractContext, Finding } from "../types.js";

/**
 * Shell scripts: container-tool commands (`docker build -t`, `push`, `pull`, `tag`, `run`, `kind
 * load docker-image`, `crane`, `skopeo`), `IMAGE=...` and `OLD_PREFIX="docker.io/x/"` assignments
 * (the latter a prefix), and known-registry names (in comments too, reported as such).
 */
export function extractShell(text: string, context: ExtractContext): Finding[] {
  return scanFreeText(text, 0, text.length, "shell", context, { commands: true, assignments: true }).map(
    (found) =>
      inComment(text, found.fields[0]?.start ?? 0)
        ? { ...found, context: `in a comment (${found.context})` }
        : found,
  );
}

/** Whether an offset sits in a whole-line `#` comment (`# pulls docker.io/org/app:v1 first`). */
function inComment(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  return /^[ \t]*#(?!!)/.test(text.slice(lineStart, offset));
}

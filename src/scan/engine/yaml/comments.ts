import type { ExtractContext, Finding, Form } from "../../types.js";
import { scanFreeText } from "../free-text.js";
import { mayHoldReference } from "../hints.js";

/**
 * References in a YAML file's whole-line comments: commented-out examples (`# image:
 * docker.io/org/app:v1`, `#   repository: ...`) that the parser never sees, and ytt's `#@`
 * expressions. Reported with a context that says so, so a rewrite keeps the documentation in step
 * with the live fields.
 */
export function scanYamlComments(text: string, ctx: ExtractContext, form: Form): Finding[] {
  const out: Finding[] = [];
  // From one `#` to the next (a native search): most YAML has few, CRD bundles of megabytes none.
  for (let hash = text.indexOf("#"); hash !== -1; ) {
    const nl = text.indexOf("\n", hash);
    const end = nl === -1 ? text.length : nl;
    const lineStart = text.lastIndexOf("\n", hash - 1) + 1;
    // `##    image: x` is as commented-out as `# image: x`: the text starts after the last `#`.
    let from = hash + 1;
    while (text[from] === "#") from++;
    // ytt's `key: #@ "org/app-{}".format(v)` sets the value: read after a key too.
    // https://carvel.dev/ytt/docs/latest/lang-ref-annotation/
    const ytt = text[from] === "@";
    if (
      (ytt || /^[ \t]*$/.test(text.slice(lineStart, hash))) &&
      mayHoldReference(text.slice(from, end), ctx)
    ) {
      for (const found of scanFreeText(text, from, end, form, ctx, { bareNames: true })) {
        out.push({
          ...found,
          context: ytt ? `ytt expression (${found.context})` : `in a comment (${found.context})`,
        });
      }
    }
    hash = nl === -1 ? -1 : text.indexOf("#", end);
  }
  return out;
}

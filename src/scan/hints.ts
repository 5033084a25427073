import { knownHostHint } from "./known-registries.js";
import type { ExtractContext } from "./types.js";

const imageWords = /image|img|docker|podman|nerdctl|registry/i;

/**
 * A cheap test that `text` may hold a reference at all: image words, a known registry host, or a
 * `--map` rule's prefix. Used to skip parsing and scanning of text that cannot match.
 */
export function mayHoldReference(text: string, ctx: ExtractContext): boolean {
  if (imageWords.test(text) || text.includes("FROM") || knownHostHint.test(text)) return true;
  return (
    ctx.rules?.some((rule) =>
      [rule.from, rule.to].some((prefix) => text.includes(prefix.path === "" ? prefix.domain : prefix.path)),
    ) ?? false
  );
}

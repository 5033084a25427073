import type { MappingRule } from "../../reference/mapping.js";
import type { ExtractContext } from "../types.js";
import { knownHostHint } from "./known-registries.js";

/** Words that announce an image in any letter case. */
const words = ["image", "img", "docker", "podman", "nerdctl", "registry"];
const imageWords = new RegExp(words.join("|"), "i");

/**
 * A cheap test that `text` may hold a reference at all: image words, a known registry host, or a
 * `--map` rule's prefix. Used to skip parsing and scanning of text that cannot match.
 */
export function mayHoldReference(text: string, ctx: ExtractContext): boolean {
  if (imageWords.test(text) || text.includes("FROM") || knownHostHint.test(text)) return true;
  return ctx.rules?.some((rule) => rulePrefixes(rule).some((prefix) => text.includes(prefix))) ?? false;
}

function rulePrefixes(rule: MappingRule): string[] {
  return [rule.from, rule.to].map((prefix) => (prefix.path === "" ? prefix.domain : prefix.path));
}

/**
 * Every hint of `mayHoldReference` in one pattern: the image words spelled in both cases (one
 * pattern cannot mix case-sensitive and -insensitive parts), `FROM`, then the hosts. The words come
 * first, so where a host starts with one (`docker.io`), the shorter word is what matches.
 */
const anyHint = new RegExp(
  [
    ...words.map((w) => w.replace(/[a-z]/g, (c) => `[${c}${c.toUpperCase()}]`)),
    "FROM",
    knownHostHint.source,
  ].join("|"),
  "g",
);

/**
 * Calls `found` with the start and end offset of every hint of `mayHoldReference` but a rule's
 * prefix in `span`, by start: at each start the shortest hint, as no word or host is a longer
 * form of one listed after it. `found` returns false to stop the search.
 */
export function findHints(span: string, found: (start: number, end: number) => boolean): void {
  anyHint.lastIndex = 0;
  for (let m = anyHint.exec(span); m !== null; m = anyHint.exec(span)) {
    if (!found(m.index, m.index + m[0].length)) return;
    anyHint.lastIndex = m.index + 1;
  }
}

/**
 * Where the hints of `mayHoldReference` lie in a stretch of text, found in one pass, so that
 * `mayHoldReference` for many spans of it (lines, comments, string literals) costs a lookup each
 * instead of a pass each.
 */
export class HintIndex {
  /** Start and end offsets of each hint (the shortest at each start), by start. */
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** A rule with an empty prefix: every span holds one. */
  private readonly all: boolean = false;

  /** Indexes the hints that lie in `text[start, end)`. */
  constructor(
    private readonly text: string,
    start: number,
    end: number,
    private readonly ctx: ExtractContext,
  ) {
    // On the stretch alone (a slice is a view, not a copy), so a search never runs past its end.
    const span = start === 0 && end === text.length ? text : text.slice(start, end);
    const found: Array<[number, number]> = [];
    findHints(span, (s, e) => found.push([start + s, start + e]) > 0);
    for (const prefix of ctx.rules?.flatMap(rulePrefixes) ?? []) {
      if (prefix === "") this.all = true;
      for (let at = span.indexOf(prefix); prefix !== "" && at !== -1; at = span.indexOf(prefix, at + 1))
        found.push([start + at, start + at + prefix.length]);
    }
    if (ctx.rules !== undefined && ctx.rules.length > 0) found.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (const [s, e] of found) {
      this.starts.push(s);
      this.ends.push(e);
    }
  }

  /** Whether no hint starts in the indexed stretch. */
  get empty(): boolean {
    return this.starts.length === 0 && !this.all;
  }

  /** `mayHoldReference(text.slice(from, to))`, for `[from, to)` inside the indexed stretch. */
  holds(from: number, to: number): boolean {
    if (this.all) return true;
    for (let i = this.first(from); i < this.starts.length && this.starts[i]! < to; i++) {
      if (this.ends[i]! <= to) return true;
      // A longer hint where a shorter one may also start (`localhost:` and a rule's `local`): ask.
      if (mayHoldReference(this.text.slice(this.starts[i]!, to), this.ctx)) return true;
    }
    return false;
  }

  /** The start of the first hint at or after `from`, or -1. */
  next(from: number): number {
    const i = this.first(from);
    return i < this.starts.length ? this.starts[i]! : -1;
  }

  private first(from: number): number {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]! < from) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

import type { Splice } from "./apply.js";
import { computeLineStarts } from "./plan.js";
import type { JournalEntry } from "./types.js";

/** The splices that put a file's journal entries back, or why they cannot be found. */
export type Undo = { readonly splices: readonly Splice[] } | { readonly problem: string };

/**
 * Plans the undo of a rewrite in one file (pure): each journal entry's `after` text is looked for on
 * its line (entries of one line in order of their ordinal, each taking the first occurrence not
 * already taken), and is replaced by its `before`, the
 * bytes the file held. No mapping is involved, so what crossdock.yaml says today changes nothing.
 * An entry not found where the journal puts it means the file changed since: nothing is planned.
 */
export function planUndo(file: string, text: string, entries: readonly JournalEntry[]): Undo {
  const lineStarts = computeLineStarts(text);
  const splices: Splice[] = [];
  const sorted = [...entries].sort((a, b) => a.line - b.line || a.ordinal - b.ordinal);
  for (const entry of sorted) {
    const lineStart = lineStarts[entry.line - 1];
    if (lineStart === undefined) return { problem: `${file}:${entry.line}: no such line any more` };
    const lineEnd = lineStarts[entry.line] ?? text.length;
    // The first occurrence on the line that no earlier entry took: entries of one rewrite come in
    // order of position, and two rewrites of one line (a second migrate) name different texts.
    const taken = (start: number): boolean =>
      splices.some((s) => start < s.end && s.start < start + entry.after.length);
    let start = text.indexOf(entry.after, lineStart);
    while (start >= 0 && taken(start)) start = text.indexOf(entry.after, start + 1);
    if (start < 0 || start + entry.after.length > lineEnd) {
      return { problem: `${file}:${entry.line}: ${entry.after} is not there any more` };
    }
    const end = start + entry.after.length;
    splices.push({ file, start, end, before: entry.after, after: entry.before, line: entry.line });
  }
  return { splices };
}

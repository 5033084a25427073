import type { JournalEntry } from "./types.js";

/**
 * The journal after one more rewrite: every earlier entry stays, except one whose text this
 * rewrite replaced again (an entry on the same line whose `before` is that entry's `after`), and
 * every new entry is added. So a second migrate (a tag published late, a file added after the
 * switch) adds to the record instead of replacing it, and a rollback still restores all of it.
 */
export function mergeJournal(
  previous: readonly JournalEntry[],
  current: readonly JournalEntry[],
): JournalEntry[] {
  const rewritten = new Set(current.map((entry) => `${entry.file}\n${entry.line}\n${entry.before}`));
  const kept = previous.filter((entry) => !rewritten.has(`${entry.file}\n${entry.line}\n${entry.after}`));
  return [...kept, ...current];
}

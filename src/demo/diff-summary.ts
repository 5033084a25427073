import { readFile } from "node:fs/promises";
import path from "node:path";

/** How one file of the sample repository changed. */
export interface FileChange {
  readonly file: string;
  /** Lines that differ (a rewrite changes references inside lines, never adds or removes one). */
  readonly lines: number;
  /** The first changed line, before and after, trimmed. */
  readonly example?: { readonly before: string; readonly after: string };
}

/**
 * Compares the files as written (`original`, path to text) with what is on disk under `dir` now.
 * Files that did not change are left out; so are files that vanished (none should).
 */
export async function diffSampleRepo(
  dir: string,
  original: Readonly<Record<string, string>>,
): Promise<FileChange[]> {
  const changes: FileChange[] = [];
  for (const [file, before] of Object.entries(original)) {
    const after = await readFile(path.join(dir, file), "utf8").catch(() => undefined);
    if (after === undefined || after === before) continue;
    const beforeLines = before.split("\n");
    const afterLines = after.split("\n");
    let lines = 0;
    let example: FileChange["example"];
    const count = Math.max(beforeLines.length, afterLines.length);
    for (let i = 0; i < count; i++) {
      const was = beforeLines[i];
      const now = afterLines[i];
      if (was === now) continue;
      lines++;
      if (example === undefined && was !== undefined && now !== undefined) {
        example = { before: was.trim(), after: now.trim() };
      }
    }
    changes.push({ file, lines, ...(example !== undefined ? { example } : {}) });
  }
  return changes.sort((a, b) => a.file.localeCompare(b.file));
}

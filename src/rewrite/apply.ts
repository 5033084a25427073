import { createHash } from "node:crypto";
import { chmod, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { CrossdockError } from "../errors.js";
import type { Edit } from "./types.js";

/** A file changed between the scan and the write: it is left alone. */
export class FileChangedError extends CrossdockError {
  readonly file: string;

  constructor(file: string) {
    super("FILE_CHANGED", `${file} changed since it was scanned: not rewritten (scan again)`);
    this.file = file;
  }
}

/** What applying an edit needs: where, what was there, what goes there (a rollback's undo has no form). */
export type Splice = Pick<Edit, "file" | "start" | "end" | "before" | "after" | "line">;

/** Splices the edits into the text (pure). Edits must not overlap; each `before` must still be there. */
export function applyEdits(text: string, edits: readonly Splice[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  let out = "";
  let position = 0;
  for (const edit of sorted) {
    if (edit.start < position)
      throw new CrossdockError("OVERLAPPING_EDITS", `${edit.file}: overlapping edits at line ${edit.line}`);
    if (text.slice(edit.start, edit.end) !== edit.before) throw new FileChangedError(edit.file);
    out += text.slice(position, edit.start) + edit.after;
    position = edit.end;
  }
  return out + text.slice(position);
}

/** A file as the rewrite read it: its bytes' hash and its text. */
export interface ReadFile {
  readonly text: string;
  readonly sha256: string;
}

/** A file whose bytes are not valid UTF-8: editing its text would change bytes nobody asked to change. */
export class NotUtf8Error extends CrossdockError {
  constructor(file: string) {
    super("NOT_UTF8", `${file} is not valid UTF-8: not rewritten`);
  }
}

/** Reads a file the way the scan decodes it. */
export async function readTextFile(file: string): Promise<ReadFile> {
  return decodeFile(file, await readFile(file));
}

/**
 * Decodes file bytes exactly as the scan does (UTF-8; a BOM stays in the text as U+FEFF, so
 * offsets agree and it is written back as it was). Refuses bytes that do not survive the round trip.
 */
export function decodeFile(file: string, bytes: Uint8Array): ReadFile {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buffer.toString("utf8");
  if (!Buffer.from(text, "utf8").equals(buffer)) throw new NotUtf8Error(file);
  return { text, sha256: createHash("sha256").update(buffer).digest("hex") };
}

/**
 * Writes the edited text in place of `file`, atomically (a temporary file beside it, then a
 * rename), keeping the file's mode, and only if the file's bytes are still those read.
 */
export async function writeEditedFile(file: string, read: ReadFile, edits: readonly Splice[]): Promise<void> {
  const current = createHash("sha256")
    .update(await readFile(file))
    .digest("hex");
  if (current !== read.sha256) throw new FileChangedError(file);
  const bytes = Buffer.from(applyEdits(read.text, edits), "utf8");
  const { mode } = await stat(file);
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.crossdock-${process.pid}.tmp`);
  try {
    await writeFile(temporary, bytes, { mode });
    await chmod(temporary, mode);
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw error;
  }
}

import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { CrossdockError } from "../errors.js";
import { writeFileAtomically } from "../files/atomic-write.js";
import { decodeText, encodeText, type TextEncoding } from "../scan/decode.js";
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

/** A file as the rewrite read it: its bytes' hash, its text and the encoding to write it back in. */
export interface ReadFile {
  readonly text: string;
  readonly sha256: string;
  readonly encoding: TextEncoding;
}

/** A file whose bytes are not text the scan reads exactly: editing it would change bytes nobody asked to change. */
export class NotUtf8Error extends CrossdockError {
  constructor(file: string, why = "is not valid UTF-8 (nor UTF-16 with a BOM)") {
    super("NOT_UTF8", `${file} ${why}: not rewritten`);
  }
}

/** Reads a file the way the scan decodes it. */
export async function readTextFile(file: string): Promise<ReadFile> {
  return decodeFile(file, await readFile(file));
}

/**
 * Decodes file bytes exactly as the scan does (see decodeText: UTF-8, or UTF-16 with a BOM; a BOM
 * stays in the text as U+FEFF, so offsets agree and it is written back as it was, in the same
 * encoding). Refuses bytes that do not survive the round trip.
 */
export function decodeFile(file: string, bytes: Uint8Array): ReadFile {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoded = decodeText(buffer);
  if ("problem" in decoded) throw new NotUtf8Error(file);
  if (!encodeText(decoded.text, decoded.encoding).equals(buffer))
    throw new NotUtf8Error(file, `does not read back byte for byte as ${decoded.encoding}`);
  return {
    text: decoded.text,
    encoding: decoded.encoding,
    sha256: createHash("sha256").update(buffer).digest("hex"),
  };
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
  const bytes = encodeText(applyEdits(read.text, edits), read.encoding);
  const { mode } = await stat(file);
  await writeFileAtomically(file, bytes, { mode: mode & 0o7777 });
}

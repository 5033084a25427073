import { rename, rm, writeFile } from "node:fs/promises";

/**
 * Writes `file` whole or not at all: the text goes to a temporary file beside it, which then
 * replaces `file` in one rename (atomic within a file system). A reader, or a run killed
 * halfway, sees the old file or the new one, never half of one.
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, text);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

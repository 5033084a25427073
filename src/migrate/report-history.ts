import { readFile } from "node:fs/promises";
import { writeFileAtomically } from "../files/atomic-write.js";

/** The first line of a report file that keeps its runs. */
export const reportTitle = "# Container image migration: one section per run, newest first";

/**
 * The report file's new text (pure): this run's section, its `## ` heading dated, above every
 * earlier run's section as the file held them. A file without the title (written by hand, or
 * before reports kept their runs) is kept whole as the earliest section. So a rerun that changes
 * nothing never hides the run that did the work.
 */
export function addReportSection(existing: string | undefined, section: string, when: Date): string {
  const stamp = `${when.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  const dated = section.replace(/^## (.*)$/m, (_line, heading: string) => `## ${heading}, ${stamp}`);
  const earlier =
    existing === undefined
      ? ""
      : (existing.startsWith(reportTitle) ? existing.slice(reportTitle.length) : existing).trim();
  return `${reportTitle}\n\n${dated.trim()}\n${earlier === "" ? "" : `\n${earlier}\n`}`;
}

/** Adds a run's section to the report file (addReportSection), written atomically. */
export async function writeReportSection(file: string, section: string, when = new Date()): Promise<void> {
  const existing = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
  await writeFileAtomically(file, addReportSection(existing, section, when));
}

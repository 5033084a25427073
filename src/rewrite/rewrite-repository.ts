import path from "node:path";
import { createTwoFilesPatch } from "diff";
import { removeStaleTempFiles } from "../files/stale-temp-files.js";
import type { MappingRule } from "../reference/mapping.js";
import { crossdockFiles } from "../scan/crossdock-files.js";
import { type ScanOptions, scanRepository } from "../scan/scan-repository.js";
import { scanText } from "../scan/scan-text.js";
import type { Occurrence, ScanResult } from "../scan/types.js";
import {
  applyEdits,
  FileChangedError,
  NotUtf8Error,
  type ReadFile,
  readTextFile,
  type Splice,
  writeEditedFile,
} from "./apply.js";
import { planRewrite, type RewritePlan } from "./plan.js";

export { countEditsByForm } from "./plan-summary.js";

import type { JournalEntry } from "./types.js";

/** Options of prepareRewrite. */
export interface RewriteOptions {
  readonly rules: readonly MappingRule[];
  /** The journal of an earlier rewrite (crossdock.lock), so a reverse mapping restores the original text. */
  readonly journal?: readonly JournalEntry[];
  readonly scan?: Omit<ScanOptions, "rules" | "signal">;
  /** Leave out occurrences this returns false for (migrate keeps references whose target failed verification). */
  readonly keep?: (occurrence: Occurrence) => boolean;
  readonly signal?: AbortSignal;
}

/** A planned rewrite with the files as they were read, ready to show as a diff or to write. */
export interface PreparedRewrite {
  readonly dir: string;
  readonly scan: ScanResult;
  readonly plan: RewritePlan;
  readonly files: ReadonlyMap<string, ReadFile>;
  /** Files that cannot be rewritten safely (not UTF-8), with the reason. */
  readonly skipped: readonly { file: string; reason: string }[];
  readonly rules: readonly MappingRule[];
}

/** What writing a rewrite did. */
export interface RewriteOutcome {
  readonly filesChanged: readonly string[];
  readonly edits: number;
  /** Files left alone because they changed since the scan. */
  readonly refused: readonly { file: string; reason: string }[];
  /** Edits the confirming re-scan did not find where they were written. */
  readonly unconfirmed: readonly string[];
}

/** Scans DIR and plans the edits the rules call for (nothing is written). */
export async function prepareRewrite(dir: string, options: RewriteOptions): Promise<PreparedRewrite> {
  const scan = await scanRepository(dir, {
    ...options.scan,
    exclude: [...(options.scan?.exclude ?? []), ...crossdockFiles],
    rules: options.rules,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const files = new Map<string, ReadFile>();
  const skipped: { file: string; reason: string }[] = [];
  for (const file of new Set(scan.references.map((r) => r.file))) {
    try {
      files.set(file, await readTextFile(path.join(dir, file)));
    } catch (error) {
      if (!(error instanceof NotUtf8Error)) throw error;
      skipped.push({ file, reason: error.message });
    }
  }
  const texts = new Map([...files].map(([file, read]) => [file, read.text]));
  const plan = planRewrite({
    occurrences: scan.references.filter((r) => files.has(r.file) && (options.keep?.(r) ?? true)),
    texts,
    rules: options.rules,
    ...(options.journal ? { journal: options.journal } : {}),
  });
  return { dir, scan, plan, files, skipped, rules: options.rules };
}

/** The rewrite as a unified diff (what a dry run prints). */
export function formatRewriteDiff(prepared: PreparedRewrite): string {
  return formatEditsDiff(prepared.plan.edits, prepared.files);
}

/** Splices per file as a unified diff against the files as read (a rewrite's or a rollback's dry run). */
export function formatEditsDiff(
  edits: ReadonlyMap<string, readonly Splice[]>,
  files: ReadonlyMap<string, ReadFile>,
): string {
  let out = "";
  for (const [file, list] of edits) {
    const read = files.get(file);
    if (!read) continue;
    out += createTwoFilesPatch(
      diffPath("a/", file),
      diffPath("b/", file),
      read.text,
      applyEdits(read.text, list),
      undefined,
      undefined,
      {
        context: 2,
      },
    ).replace(/^={67}\n/m, "");
  }
  return out;
}

/** The C escapes git writes in a quoted path; other control characters become octal. */
const pathEscapes: Readonly<Record<string, string>> = {
  "\n": "\\n",
  "\t": "\\t",
  "\r": "\\r",
  '"': '\\"',
  "\\": "\\\\",
};

/**
 * A file name in a diff header as git writes it: in double quotes with C escapes when it holds a
 * newline, a tab, a quote, a backslash or another control character, so one name stays one line
 * and `git apply` reads it back. https://git-scm.com/docs/git-config#Documentation/git-config.txt-corequotePath
 */
function diffPath(prefix: string, file: string): string {
  const name = `${prefix}${file}`;
  const special = /[\u0000-\u001f"\\\u007f]/g;
  if (!special.test(name)) return name;
  const escaped = name.replace(
    special,
    (c) => pathEscapes[c] ?? `\\${c.charCodeAt(0).toString(8).padStart(3, "0")}`,
  );
  return `"${escaped}"`;
}

/**
 * Writes the planned edits file by file, atomically, refusing files that changed since they were
 * read, then scans each written file again to confirm every edit reads back as a reference.
 */
export async function applyRewrite(prepared: PreparedRewrite): Promise<RewriteOutcome> {
  const filesChanged: string[] = [];
  const refused: { file: string; reason: string }[] = [];
  const unconfirmed: string[] = [];
  let count = 0;
  const swept = new Set<string>();
  for (const [file, edits] of prepared.plan.edits) {
    const read = prepared.files.get(file);
    if (!read) continue;
    // A rewrite killed mid-write left its temporary copy beside the file: remove it before it is scanned.
    const dir = path.dirname(path.join(prepared.dir, file));
    if (!swept.has(dir)) await removeStaleTempFiles(dir);
    swept.add(dir);
    try {
      await writeEditedFile(path.join(prepared.dir, file), read, edits);
    } catch (error) {
      if (error instanceof FileChangedError) {
        refused.push({ file, reason: error.message });
        continue;
      }
      throw error;
    }
    filesChanged.push(file);
    count += edits.length;
    unconfirmed.push(...confirmEdits(file, applyEdits(read.text, edits), edits, prepared.rules));
  }
  return { filesChanged, edits: count, refused, unconfirmed };
}

/**
 * Scans the new text and reports each edit whose new span is not a reference field any more (or
 * the start of one: a templated push destination's name, whose tag the edit left alone).
 */
function confirmEdits(
  file: string,
  text: string,
  edits: readonly { start: number; end: number; before: string; after: string; line: number; push?: true }[],
  rules: readonly MappingRule[],
): string[] {
  const spans = new Set<string>();
  const starts = new Map<number, number>();
  for (const occurrence of scanText(file, text, { rules }).references) {
    for (const field of occurrence.fields) spans.add(`${field.start}:${field.end}`);
    if (occurrence.role === "push") for (const field of occurrence.fields) starts.set(field.start, field.end);
  }
  const missing: string[] = [];
  let shift = 0;
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    const start = edit.start + shift;
    const end = start + edit.after.length;
    if (!spans.has(`${start}:${end}`) && !(edit.push === true && (starts.get(start) ?? -1) >= end))
      missing.push(`${file}:${edit.line}: ${edit.after}`);
    shift += edit.after.length - (edit.end - edit.start);
  }
  return missing;
}

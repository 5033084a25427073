import path from "node:path";
import { UsageError } from "../errors.js";
import { parseReference, tryParseReference } from "../reference/reference.js";
import { type ReadFile, readTextFile, type Splice, writeEditedFile } from "../rewrite/apply.js";
import type { JournalEntry } from "../rewrite/types.js";
import { planUndo } from "../rewrite/undo-journal.js";
import { findConfig, loadConfig } from "./config/load-config.js";
import type { Phase } from "./config/types.js";
import { hashWrittenFiles, type Lockfile, lockFileName, readLock, writeLock } from "./lock.js";
import { phaseAfterRollback, recordPhase } from "./phase.js";

/** Options of rollbackProject. */
export interface RollbackOptions {
  /** The repository. */
  readonly dir: string;
  /** Only journal entries in these files or folders (relative to `dir`); all when empty. */
  readonly paths?: readonly string[];
  /** Only journal entries naming these images (source or target name, any tag); all when empty. */
  readonly images?: readonly string[];
  /** Write the files, the lock and the phase; otherwise only plan. */
  readonly write: boolean;
}

/** What a rollback restores (or would), and what it refuses. */
export interface RollbackResult {
  /** The undo splices per file, against the files as read. */
  readonly edits: ReadonlyMap<string, readonly Splice[]>;
  readonly files: ReadonlyMap<string, ReadFile>;
  /** The journal entries restored (or to restore). */
  readonly restored: readonly JournalEntry[];
  /** Files that changed since crossdock wrote them, with the reason: when any, nothing is written. */
  readonly refused: readonly { file: string; reason: string }[];
  /** The phase recorded in crossdock.yaml, before and after, when it moves. */
  readonly phase?: { readonly from: Phase; readonly to: Phase };
}

/**
 * `crossdock rollback` as one call: restores references from crossdock.lock's journal, byte for
 * byte, whatever crossdock.yaml maps today (no rule is applied, so nothing moves forward). Every
 * selected file is checked first, against the hash the lock recorded and the journal's positions;
 * if any changed, nothing is written. With `write`, each file is replaced atomically, the lock
 * keeps what is still switched and records what was rolled back, and a recorded phase moves back.
 */
export async function rollbackProject(options: RollbackOptions): Promise<RollbackResult> {
  const { dir } = options;
  const lock = await readLock(dir);
  if (!lock || lock.rewrites.length === 0)
    throw new UsageError(`${path.join(dir, lockFileName)}: no rewrite recorded, nothing to roll back`);
  const selected = selectEntries(lock, options);
  const byFile = new Map<string, JournalEntry[]>();
  for (const entry of selected) byFile.set(entry.file, [...(byFile.get(entry.file) ?? []), entry]);
  const recorded = new Map((lock.written ?? []).map((w) => [w.file, w.sha256]));
  const edits = new Map<string, readonly Splice[]>();
  const files = new Map<string, ReadFile>();
  const refused: { file: string; reason: string }[] = [];
  for (const [file, entries] of byFile) {
    const read = await readTextFile(path.join(dir, file)).catch(() => undefined);
    if (!read) {
      refused.push({ file, reason: `${file}: cannot be read any more: not rolled back` });
      continue;
    }
    const sha256 = recorded.get(file);
    if (sha256 !== undefined && sha256 !== read.sha256) {
      refused.push({
        file,
        reason: `${file} changed since crossdock wrote it (its sha256 is not the one ${lockFileName} records): not rolled back; restore it from version control first`,
      });
      continue;
    }
    const undo = planUndo(file, read.text, entries);
    if ("problem" in undo)
      refused.push({ file, reason: `${undo.problem}: the file changed, not rolled back` });
    else {
      edits.set(file, undo.splices);
      files.set(file, read);
    }
  }
  const remaining = lock.rewrites.filter((entry) => !selected.includes(entry));
  const phase = await phaseChange(dir, remaining.length);
  const result = { edits, files, restored: selected, refused, ...(phase ? { phase } : {}) };
  if (!options.write || refused.length > 0) return result;
  for (const [file, splices] of edits) await writeEditedFile(path.join(dir, file), files.get(file)!, splices);
  await writeLock(dir, {
    ...lock,
    rewrites: remaining,
    written: await hashWrittenFiles(dir, remaining),
    rolledBack: [...(lock.rolledBack ?? []), ...selected],
  });
  if (phase) await recordPhase((await findConfig(dir))!, phase.to);
  return result;
}

/** The journal entries the paths and images select; a path or image that selects nothing is bad input. */
function selectEntries(lock: Lockfile, options: RollbackOptions): JournalEntry[] {
  const paths = (options.paths ?? []).map((p) => {
    const relative = path.relative(path.resolve(options.dir), path.resolve(p)).split(path.sep).join("/");
    if (relative.startsWith("..")) throw new UsageError(`${p}: not inside ${options.dir}`);
    return relative;
  });
  const names = (options.images ?? []).map((image) => parseReference(image).name);
  const inPath = (entry: JournalEntry, p: string): boolean =>
    p === "" || entry.file === p || entry.file.startsWith(`${p}/`);
  const namesOf = (entry: JournalEntry): string[] =>
    [entry.before, entry.after].flatMap((text) => tryParseReference(text)?.name ?? []);
  for (const p of paths) {
    if (!lock.rewrites.some((entry) => inPath(entry, p)))
      throw new UsageError(`${p}: ${lockFileName} records no rewrite there`);
  }
  for (const [i, name] of names.entries()) {
    if (!lock.rewrites.some((entry) => namesOf(entry).includes(name)))
      throw new UsageError(`--image ${options.images?.[i]}: ${lockFileName} records no rewrite of ${name}`);
  }
  return lock.rewrites.filter(
    (entry) =>
      (paths.length === 0 || paths.some((p) => inPath(entry, p))) &&
      (names.length === 0 || names.some((name) => namesOf(entry).includes(name))),
  );
}

/** How the phase crossdock.yaml records moves, if it records one and it moves. */
async function phaseChange(
  dir: string,
  leftSwitched: number,
): Promise<{ from: Phase; to: Phase } | undefined> {
  const file = await findConfig(dir);
  const from = file ? (await loadConfig(file)).phase : undefined;
  if (!from) return undefined;
  const to = phaseAfterRollback(from, leftSwitched);
  return to === from ? undefined : { from, to };
}

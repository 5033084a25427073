import { promises as fs } from "node:fs";
import path from "node:path";
import ignore, { type Ignore } from "ignore";

/** Options of `walkRepository`. */
export interface WalkOptions {
  /** gitignore-style patterns: when given, only matching files are walked. */
  readonly include?: readonly string[];
  /** gitignore-style patterns of files and directories to skip, on top of .gitignore. */
  readonly exclude?: readonly string[];
  readonly signal?: AbortSignal;
  /** Called after each directory with the number of files listed so far. */
  readonly onFound?: (files: number) => void;
}

/** Directories never worth scanning: VCS data, installed dependencies, vendored code. */
const skippedDirectories: ReadonlySet<string> = new Set([
  ".git",
  ".hg",
  ".svn",
  "node_modules",
  "bower_components",
  "vendor",
  "third_party",
  "third-party",
  "__pycache__",
  ".venv",
  ".tox",
]);

interface IgnoreLevel {
  /** Directory of the .gitignore, relative to the root ('' for the root). */
  readonly base: string;
  readonly rules: Ignore;
}

/**
 * Lists the files of a repository (paths relative to `dir`, '/'-separated, sorted), honouring
 * .gitignore files at every level, skipping VCS, dependency and vendored directories. A symlink is
 * followed only when it is a file that resolves inside the tree; symlinked directories are skipped
 * (they could loop or leave the tree).
 */
export async function walkRepository(dir: string, options: WalkOptions = {}): Promise<string[]> {
  const root = await fs.realpath(dir);
  const exclude =
    options.exclude !== undefined && options.exclude.length > 0
      ? ignore().add([...options.exclude])
      : undefined;
  const include =
    options.include !== undefined && options.include.length > 0
      ? ignore().add([...options.include])
      : undefined;
  const files: string[] = [];
  const visit = async (rel: string, levels: readonly IgnoreLevel[]): Promise<void> => {
    options.signal?.throwIfAborted();
    const abs = rel === "" ? root : path.join(root, rel);
    let entries: import("node:fs").Dirent[];
    try {
      entries = await fs.readdir(abs, { withFileTypes: true });
    } catch {
      return;
    }
    let here = levels;
    if (entries.some((e) => e.name === ".gitignore" && e.isFile())) {
      try {
        const rules = ignore().add(await fs.readFile(path.join(abs, ".gitignore"), "utf8"));
        here = [...levels, { base: rel, rules }];
      } catch {
        // An unreadable .gitignore ignores nothing.
      }
    }
    const subdirs: string[] = [];
    for (const entry of entries) {
      const child = rel === "" ? entry.name : `${rel}/${entry.name}`;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = await resolveInside(root, path.join(abs, entry.name));
        isDir = false;
        isFile = target === "file";
      }
      if (isDir && skippedDirectories.has(entry.name)) continue;
      if (!isDir && !isFile) continue;
      if (ignored(here, child, isDir) || exclude?.ignores(isDir ? `${child}/` : child)) continue;
      if (isDir) subdirs.push(child);
      else if (include === undefined || include.ignores(child)) files.push(child);
    }
    options.onFound?.(files.length);
    await Promise.all(subdirs.map((sub) => visit(sub, here)));
  };
  await visit("", []);
  return files.sort();
}

function ignored(levels: readonly IgnoreLevel[], rel: string, isDir: boolean): boolean {
  for (const level of levels) {
    const inner = level.base === "" ? rel : rel.slice(level.base.length + 1);
    if (level.rules.ignores(isDir ? `${inner}/` : inner)) return true;
  }
  return false;
}

/** "file" when a symlink resolves to a regular file inside the tree; undefined otherwise. */
async function resolveInside(root: string, link: string): Promise<"file" | undefined> {
  try {
    const target = await fs.realpath(link);
    if (target !== root && !target.startsWith(root + path.sep)) return undefined;
    return (await fs.stat(target)).isFile() ? "file" : undefined;
  } catch {
    return undefined;
  }
}

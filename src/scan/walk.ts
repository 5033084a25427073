import { promises as fs } from "node:fs";
import path from "node:path";
import ignore, { type Ignore } from "ignore";
import type { SkippedDirectory } from "./types.js";

/** Options of `walkRepository`. */
export interface WalkOptions {
  /** gitignore-style patterns: when given, only matching files are walked. */
  readonly include?: readonly string[];
  /** gitignore-style patterns of files and directories to skip, on top of .gitignore. */
  readonly exclude?: readonly string[];
  readonly signal?: AbortSignal;
  /** Called after each directory with the number of files listed so far. */
  readonly onFound?: (files: number) => void;
  /** Called for each directory skipped by default (see skippedDirectories), so none is skipped in silence. */
  readonly onSkipped?: (skipped: SkippedDirectory) => void;
  /** Called for each directory that cannot be listed (permissions), with the reason. */
  readonly onUnreadable?: (path: string, message: string) => void;
}

/**
 * Directories skipped by default, and why: VCS data, and dependencies installed here from
 * elsewhere (no file in them is the project's). `third_party/` is scanned: projects keep their
 * own manifests there too . Go's `vendor/` only when `vendor/modules.txt` says `go mod
 * vendor` made it (see vendorReason). Every skipped directory is reported (see `onSkipped`).
 */
const skippedDirectories: ReadonlyMap<string, string> = new Map([
  [".git", "version control data"],
  [".hg", "version control data"],
  [".svn", "version control data"],
  ["node_modules", "installed npm packages"],
  ["bower_components", "installed Bower packages"],
  ["__pycache__", "Python bytecode"],
  [".venv", "a Python virtual environment"],
  [".tox", "tox's virtual environments"],
]);

interface IgnoreLevel {
  /** Directory of the .gitignore, relative to the root ('' for the root). */
  readonly base: string;
  readonly rules: Ignore;
}

/**
 * Lists the files of a repository (paths relative to `dir`, '/'-separated, sorted), honouring
 * .gitignore files at every level, skipping VCS, installed-dependency and Go-vendored directories.
 * Each real file is listed once: a symlink to a file inside the tree only when its target is not
 * listed itself (a file scanned twice would be written twice by a rewrite, and the second write
 * refused). Symlinks out of the tree and to directories are not followed (they could
 * leak or loop).
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
  /** Symlinks to files inside the tree, and their targets (relative paths). */
  const links = new Map<string, string>();
  const visit = async (rel: string, levels: readonly IgnoreLevel[]): Promise<void> => {
    options.signal?.throwIfAborted();
    const abs = rel === "" ? root : path.join(root, rel);
    let entries: import("node:fs").Dirent[];
    try {
      entries = await fs.readdir(abs, { withFileTypes: true });
    } catch (error) {
      if (rel !== "") options.onUnreadable?.(rel, `cannot list directory: ${(error as Error).message}`);
      else throw error;
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
      let target: string | undefined;
      if (entry.isSymbolicLink()) {
        target = await resolveInside(root, path.join(abs, entry.name));
        isDir = false;
        isFile = target !== undefined;
      }
      const skip = isDir ? await skipReason(abs, entry.name) : undefined;
      if (skip !== undefined) {
        if (!ignored(here, child, true) && exclude?.ignores(`${child}/`) !== true)
          options.onSkipped?.({ path: child, reason: skip });
        continue;
      }
      if (!isDir && !isFile) continue;
      if (ignored(here, child, isDir) || exclude?.ignores(isDir ? `${child}/` : child)) continue;
      if (isDir) subdirs.push(child);
      else if (include === undefined || include.ignores(child)) {
        if (target === undefined) files.push(child);
        else links.set(child, target);
      }
    }
    options.onFound?.(files.length);
    await Promise.all(subdirs.map((sub) => visit(sub, here)));
  };
  await visit("", []);
  // One path for each real file: a link only when its target is not listed itself (nor by another link).
  const real = new Set(files);
  for (const [link, target] of [...links].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (real.has(target)) continue;
    real.add(target);
    files.push(link);
  }
  return files.sort();
}

function ignored(levels: readonly IgnoreLevel[], rel: string, isDir: boolean): boolean {
  for (const level of levels) {
    const inner = level.base === "" ? rel : rel.slice(level.base.length + 1);
    if (level.rules.ignores(isDir ? `${inner}/` : inner)) return true;
  }
  return false;
}

/** Why a directory is skipped by default, or undefined when it is walked. */
async function skipReason(parent: string, name: string): Promise<string | undefined> {
  const known = skippedDirectories.get(name);
  if (known !== undefined || name !== "vendor") return known;
  return (await fileExists(path.join(parent, name, "modules.txt")))
    ? "Go modules vendored by go mod vendor (vendor/modules.txt)"
    : undefined;
}

async function fileExists(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

/** The path (relative to the root) of a symlink's target when it is a regular file inside the tree. */
async function resolveInside(root: string, link: string): Promise<string | undefined> {
  try {
    const target = await fs.realpath(link);
    if (!target.startsWith(root + path.sep)) return undefined;
    return (await fs.stat(target)).isFile()
      ? path.relative(root, target).split(path.sep).join("/")
      : undefined;
  } catch {
    return undefined;
  }
}

import { createHash } from "node:crypto";
import { mkdir, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { writeFileAtomically } from "../../files/atomic-write.js";
import type { MappingRule } from "../../reference/mapping.js";
import {
  FileChangedError,
  type ReadFile,
  readTextFile,
  type Splice,
  writeEditedFile,
} from "../../rewrite/apply.js";
import { formatEditsDiff } from "../../rewrite/rewrite-repository.js";
import { defaultActionRef, maintainWorkflow, maintainWorkflowPath } from "./maintain-workflow.js";
import { patchWorkflow } from "./patch-workflow.js";

/** Options of planGithubCi. */
export interface GithubCiOptions {
  /** The repository. */
  readonly dir: string;
  /** crossdock.yaml's mapping rules: which published names get a target beside them. */
  readonly rules: readonly MappingRule[];
  /** The action the scheduled workflow uses (`OWNER/crossdock@v1`). */
  readonly actionRef?: string;
}

/** One file `crossdock ci github` writes. */
export interface GithubCiFile {
  /** Relative to the repository, with `/`. */
  readonly file: string;
  /** A new file (the scheduled workflow), not a patched one. */
  readonly created: boolean;
  /** What changes, one line each. */
  readonly changes: readonly string[];
}

/** What `crossdock ci github` would write: splices per file against the files as read. */
export interface GithubCiPlan {
  readonly dir: string;
  readonly files: readonly GithubCiFile[];
  /** What is left to do by hand, and why. */
  readonly notes: readonly string[];
  readonly splices: ReadonlyMap<string, readonly Splice[]>;
  readonly read: ReadonlyMap<string, ReadFile>;
}

const workflowsDir = ".github/workflows";

/** The workflow files of a repository, relative paths, sorted; none when there is no workflows folder. */
async function listWorkflows(dir: string): Promise<string[]> {
  const entries = await readdir(path.join(dir, workflowsDir)).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [] as string[];
    throw error;
  });
  return entries
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => `${workflowsDir}/${name}`);
}

/** The 1-based line of an offset. */
function lineAt(text: string, offset: number): number {
  return text.slice(0, offset).split("\n").length;
}

/**
 * Plans `crossdock ci github`: every workflow that publishes an image the rules map is patched so
 * it publishes the target too (patchWorkflow), and the scheduled maintain workflow is created when
 * it does not exist. Reads only; every workflow is parsed before anything is planned, so a
 * malformed one (WorkflowError) stops the command before any write.
 */
export async function planGithubCi(options: GithubCiOptions): Promise<GithubCiPlan> {
  const { dir, rules } = options;
  const files: GithubCiFile[] = [];
  const notes: string[] = [];
  const splices = new Map<string, Splice[]>();
  const read = new Map<string, ReadFile>();
  let publishing = 0;
  for (const file of await listWorkflows(dir)) {
    const content = await readTextFile(path.join(dir, file));
    const patch = patchWorkflow(file, content.text, rules);
    notes.push(...patch.notes);
    publishing += patch.publishingJobs.length;
    if (patch.splices.length === 0) continue;
    read.set(file, content);
    splices.set(
      file,
      patch.splices.map((s) => ({
        file,
        start: s.start,
        end: s.end,
        before: content.text.slice(s.start, s.end),
        after: s.after,
        line: lineAt(content.text, s.start),
      })),
    );
    files.push({ file, created: false, changes: patch.changes });
  }
  if (publishing === 0) notes.push(`no workflow in ${workflowsDir}/ publishes an image the mappings move`);
  const exists = await readFile(path.join(dir, maintainWorkflowPath)).then(
    () => true,
    () => false,
  );
  if (!exists) {
    const text = maintainWorkflow(rules, options.actionRef);
    const empty = createHash("sha256").digest("hex");
    read.set(maintainWorkflowPath, { text: "", sha256: empty, encoding: "utf8" });
    splices.set(maintainWorkflowPath, [
      { file: maintainWorkflowPath, start: 0, end: 0, before: "", after: text, line: 1 },
    ]);
    files.push({
      file: maintainWorkflowPath,
      created: true,
      changes: ["scheduled: crossdock sync, then crossdock status --drift"],
    });
    if (options.actionRef === undefined)
      notes.push(
        `${maintainWorkflowPath} uses ${defaultActionRef}: replace OWNER with where crossdock's action lives (or pass --action)`,
      );
  }
  return { dir, files, notes, splices, read };
}

/** The plan as a unified diff (what a dry run prints). */
export function formatGithubCiDiff(plan: GithubCiPlan): string {
  return formatEditsDiff(plan.splices, plan.read);
}

/**
 * Writes the plan, each file atomically (keeping its mode). Every patched file is checked first:
 * when one changed since it was read, nothing is written (FileChangedError). Returns the files written.
 */
export async function applyGithubCi(plan: GithubCiPlan): Promise<string[]> {
  for (const { file, created } of plan.files) {
    if (created) continue;
    const bytes = await readFile(path.join(plan.dir, file));
    if (createHash("sha256").update(bytes).digest("hex") !== plan.read.get(file)?.sha256)
      throw new FileChangedError(file);
  }
  for (const { file, created } of plan.files) {
    const full = path.join(plan.dir, file);
    const splices = plan.splices.get(file) ?? [];
    if (created) {
      await mkdir(path.dirname(full), { recursive: true });
      await writeFileAtomically(full, splices.map((s) => s.after).join(""));
    } else await writeEditedFile(full, plan.read.get(file)!, splices);
  }
  return plan.files.map((f) => f.file);
}

/**
 * The real-world corpus of issue 11: public repositories of different kinds, pinned by commit,
 * that the scan had never seen. Their code is not in this repository: `materialise` writes a
 * working tree of each from a local git snapshot (a bare clone or mirror) at the pinned commit,
 * for the benchmarks and the precision/recall sample (bench/real-world-sample.ts).
 *
 *   npx tsc -p . && node dist/bench/real-world-corpus.js GIT_DIRS_ROOT OUT_DIR
 *
 * GIT_DIRS_ROOT holds one git directory per repository at `<owner>+<name>/repo` (or
 * `<owner>+<name>.git`); each tree goes to OUT_DIR/<name>. A tree already there is kept.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";

/** One repository of the corpus: what kind it is, and the commit every figure was taken at. */
export interface CorpusRepository {
  readonly repo: string;
  readonly commit: string;
  readonly kind: string;
}

/** The corpus, pinned (bench/RESULTS.md, "Real-world corpus", quotes figures at these commits). */
export const corpus: readonly CorpusRepository[] = [
  {
    repo: "kubeflow/manifests",
    commit: "009c88084074904c7743384ff50d3bd70012ef55",
    kind: "manifests repository: kustomize, release YAML with tens of MB of CRDs",
  },
  {
    repo: "prometheus-operator/prometheus-operator",
    commit: "6adcebc5076c34f4f55f8f5f7b1e528929373ac7",
    kind: "Kubernetes operator: Go, jsonnet, generated CRDs and bundle",
  },
  {
    repo: "prometheus-community/helm-charts",
    commit: "cf408a290aec489277a94450bb3511432477a53a",
    kind: "Helm chart repository",
  },
  {
    repo: "kubeflow/katib",
    commit: "33c8ff4e5d1814b59abd308e6819e839e9906bc2",
    kind: "ML platform: Go, Python SDK, notebooks, examples",
  },
  {
    repo: "cert-manager/cert-manager",
    commit: "2d0d7f7f74241a9cbf79f0e2a7bb247238ee09fd",
    kind: "CI-heavy Go monorepo: Makefiles, workflows, Helm chart, e2e tests",
  },
];

/** The git directory of `repo` under `root`, in either layout the header names. */
export function gitDirOf(root: string, repo: string): string {
  const base = path.join(root, repo.replace("/", "+"));
  const nested = path.join(base, "repo");
  return existsSync(nested) ? nested : `${base}.git`;
}

/**
 * Writes the tree of `entry` at its pinned commit into `out/<name>`, unless that directory exists,
 * and returns the tree's path with the files the snapshot lacks (a snapshot may leave out its
 * largest files; they are listed, never guessed at). Works through a temporary index
 * (read-tree, then checkout-index), so a missing blob drops that file only.
 */
export function materialise(
  root: string,
  out: string,
  entry: CorpusRepository,
): { tree: string; missing: string[] } {
  const tree = path.join(out, entry.repo.slice(entry.repo.indexOf("/") + 1));
  const gitDir = gitDirOf(root, entry.repo);
  const git = (args: string[], input?: string, env?: NodeJS.ProcessEnv) =>
    execFileSync("git", [`--git-dir=${gitDir}`, ...args], {
      maxBuffer: 1 << 28,
      encoding: "utf8",
      ...(input !== undefined ? { input } : {}),
      ...(env !== undefined ? { env: { ...process.env, ...env } } : {}),
    });
  const blobs = git(["ls-tree", "-r", "-z", entry.commit])
    .split("\0")
    .filter((line) => line.includes(" blob "))
    .map((line) => ({ id: line.split(" ")[2]!.split("\t")[0]!, file: line.slice(line.indexOf("\t") + 1) }));
  const present = git(
    ["cat-file", "--batch-check=%(objectname) %(objecttype)"],
    blobs.map((b) => b.id).join("\n"),
  );
  const missingIds = new Set(
    present
      .split("\n")
      .filter((l) => l.endsWith(" missing"))
      .map((l) => l.split(" ")[0]),
  );
  const missing = blobs.filter((b) => missingIds.has(b.id)).map((b) => b.file);
  if (existsSync(tree)) return { tree, missing };
  mkdirSync(tree, { recursive: true });
  const index = { GIT_INDEX_FILE: path.join(out, `.index-${path.basename(tree)}`) };
  git(["read-tree", entry.commit], undefined, index);
  if (missing.length > 0)
    git(["rm", "--cached", "-q", "--pathspec-from-file=-", "--pathspec-file-nul"], missing.join("\0"), index);
  git(["checkout-index", "-a", `--prefix=${tree}/`], undefined, index);
  rmSync(index.GIT_INDEX_FILE);
  return { tree, missing };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [root, out] = process.argv.slice(2);
  if (root === undefined || out === undefined) {
    process.stderr.write("usage: node dist/bench/real-world-corpus.js GIT_DIRS_ROOT OUT_DIR\n");
    process.exit(2);
  }
  for (const entry of corpus) {
    const { tree, missing } = materialise(root, out, entry);
    process.stdout.write(
      `${tree}${missing.length > 0 ? ` (not in the snapshot: ${missing.join(", ")})` : ""}\n`,
    );
  }
}

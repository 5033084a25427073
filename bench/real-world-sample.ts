/**
 * The precision/recall sample of issue 11 on one tree of the real-world corpus
 * (bench/real-world-corpus.ts): prints, with each one's line, a seeded sample of the references
 * `scanRepository` reports, and a seeded sample of independent candidates (image-shaped strings a
 * broad search finds, below) that it does not report. A person judges each; the same seed prints
 * the same sample, so the judgement can be checked. Method and numbers: bench/RESULTS.md.
 *
 *   npx tsc -p . && node dist/bench/real-world-sample.js TREE [--seed N] [--reported N] [--missed N]
 *
 * The candidate search knows nothing of the scan's extractors: any text file, any line; a string
 * with a registry host (known or not) and a path, a `name:tag` with a host-like first part, the
 * value after a key or variable named like `image`, a Dockerfile `FROM`, the image of a
 * docker/podman command. Values that are only variables (`${IMAGE}`, `{{ .Values.image }}`) are
 * left out: no scan can name them.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { scanRepository } from "../src/scan/scan-repository.js";
import type { Occurrence } from "../src/scan/types.js";

/** A string the broad search found: where, and what. */
export interface Candidate {
  readonly file: string;
  readonly start: number;
  readonly end: number;
  readonly value: string;
}

const knownHosts =
  /^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io|gcr\.io|[a-z0-9-]+\.gcr\.io|ghcr\.io|quay\.io|registry\.k8s\.io|k8s\.gcr\.io|public\.ecr\.aws|mcr\.microsoft\.com|nvcr\.io|[a-z0-9-]+-docker\.pkg\.dev|[0-9]+\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com|registry\.gitlab\.com|docker\.elastic\.co|cr\.l5d\.io|registry\.redhat\.io|localhost(?::[0-9]+)?)$/;
const nameTag = String.raw`[a-z0-9][a-z0-9._-]*(?:/[a-z0-9][a-z0-9._-]*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[0-9a-f]{64})?`;
/** host/path[:tag][@digest], not in a URL (no `//` before it). */
const hosted = new RegExp(
  String.raw`(?<![\w./:-])((?:[a-z0-9-]+\.)+[a-z]{2,}(?::[0-9]+)?|localhost(?::[0-9]+)?)/${nameTag}`,
  "g",
);
/**
 * The value after a key or variable whose name ends in image (`image:`, `BASE_IMAGE=`,
 * `imageName:`), after FROM, or after a docker/podman command and its options.
 */
const introduced =
  /(?:\b[\w.-]*(?:image|Image|IMAGE)(?:s|_?[Nn]ame|_?NAME|_?[Rr]ef|_?REF)?["']?\s*(?:[:=]|\?=|:=)\s*|^\s*FROM\s+(?:--platform=\S+\s+)?|\b(?:docker|podman)\s+(?:run|pull|push|create|tag)\s+(?:--?[\w-]+(?:[= ](?!-)\S+)?\s+)*)(["']?)([^\s"'`,;)}\]]+)/gm;
/** Files where an unquoted word can be a value rather than code (an identifier, a constant). */
const plainValueFile =
  /(?:\.ya?ml|\.md|\.rst|\.txt|\.env|\.sh|Dockerfile[^/]*|Containerfile[^/]*|\.mk|Makefile)$/i;

/** The independent candidates of one file's text (Latin-1 decoded, so offsets are byte offsets). */
export function findCandidates(file: string, text: string): Candidate[] {
  const out = new Map<number, Candidate>();
  const add = (start: number, value: string) => {
    const literal = value.replace(/\$\{[^}]*\}|\$\([^)]*\)|\{\{.*?\}\}|\$[A-Za-z_]\w*/g, "");
    if (!/[a-z]/i.test(literal) || value.includes("://") || out.has(start)) return;
    out.set(start, { file, start, end: start + value.length, value });
  };
  for (const m of text.matchAll(hosted)) {
    const value = m[0];
    const host = m[1]!;
    // A host that is no known registry counts only with a tag or digest: `github.com/org/repo` is code.
    if (knownHosts.test(host) || /[:@][\w.-]+$/.test(value.slice(host.length))) add(m.index, value);
  }
  for (const m of text.matchAll(introduced)) {
    const [whole, quote, value] = [m[0], m[1]!, m[2]!];
    if (
      !/^[\w.-]+(?:\/[\w.-]+)*(?::[\w.-]+)?(?:@sha256:[0-9a-f]+)?$/.test(value.replace(/\$\{[^}]*\}/g, "x"))
    )
      continue;
    // Unquoted in code, a word without `/`, `:` or `@` is an identifier (`corev1.PullAlways`, `image`).
    if (quote === "" && !/[/:@]/.test(value) && !plainValueFile.test(file)) continue;
    add(m.index + whole.length - value.length, value);
  }
  return [...out.values()].sort((a, b) => a.start - b.start);
}

/** A deterministic shuffle (a linear congruential generator), so a seed gives the same sample. */
export function seededSample<T>(items: readonly T[], n: number, seed: number): T[] {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}

/** Every file under `dir` but .git, as relative paths. */
function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
    .filter((f) => !f.startsWith(".git/"))
    .sort();
}

/** The line of `text` around byte `offset`, trimmed to about 160 characters. */
function lineAt(text: string, offset: number): { line: number; text: string } {
  const start = text.lastIndexOf("\n", offset - 1) + 1;
  const nl = text.indexOf("\n", offset);
  const line = text.slice(start, nl === -1 ? text.length : nl).trim();
  const number = text.slice(0, start).split("\n").length;
  return { line: number, text: line.length > 160 ? `${line.slice(0, 157)}...` : line };
}

function overlaps(c: Candidate, r: Occurrence): boolean {
  return c.file === r.file && c.start < r.byteEnd && r.byteStart < c.end;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const tree = args[0];
  const option = (name: string, fallback: number) => {
    const at = args.indexOf(name);
    return at === -1 ? fallback : Number(args[at + 1]);
  };
  if (tree === undefined) {
    process.stderr.write(
      "usage: node dist/bench/real-world-sample.js TREE [--seed N] [--reported N] [--missed N]\n",
    );
    process.exit(2);
  }
  const seed = option("--seed", 11);
  const result = await scanRepository(tree);
  const texts = new Map<string, string>();
  const textOf = (file: string) => {
    let text = texts.get(file);
    if (text === undefined) {
      text = readFileSync(path.join(tree, file)).toString("latin1");
      texts.set(file, text);
    }
    return text;
  };
  const byFile = new Map<string, Occurrence[]>();
  for (const r of result.references) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);
  const unreported: Candidate[] = [];
  let candidates = 0;
  for (const file of listFiles(tree)) {
    const text = textOf(file);
    if (text.slice(0, 8000).includes("\0")) {
      texts.delete(file);
      continue;
    }
    const found = findCandidates(file, text);
    candidates += found.length;
    const reported = byFile.get(file) ?? [];
    unreported.push(...found.filter((c) => !reported.some((r) => overlaps(c, r))));
    if (!byFile.has(file)) texts.delete(file);
  }
  const reportedSample = seededSample(result.references, option("--reported", 100), seed);
  const missedSample = seededSample(unreported, option("--missed", 100), seed);
  process.stdout.write(
    `# ${tree}: ${result.references.length} reported, ${candidates} candidates, ${unreported.length} not reported; seed ${seed}\n`,
  );
  process.stdout.write(`## reported (${reportedSample.length})\n`);
  reportedSample.forEach((r, i) => {
    const { text } = lineAt(textOf(r.file), r.byteStart);
    process.stdout.write(
      `R${i + 1}\t${r.file}:${r.line}\t${r.value}\t[${r.form}; ${r.context}]\t| ${text}\n`,
    );
  });
  process.stdout.write(`## candidates not reported (${missedSample.length})\n`);
  missedSample.forEach((c, i) => {
    const { line, text } = lineAt(textOf(c.file), c.start);
    process.stdout.write(`M${i + 1}\t${c.file}:${line}\t${c.value}\t| ${text}\n`);
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await main();

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { repoRoot } from "./helpers/paths.js";

/**
 * The layers' allowed imports (DESIGN.md, STYLE.md): arrows point down only. A layer may import
 * itself and the layers listed; `errors.ts`, `version.ts` and `redact-secrets.ts` at the root, and `files` (atomic
 * writes and their temporary files, plain I/O that knows nothing of images) are for everyone.
 */
const forEveryone = ["files"];

const everyLayerBelowTheShell = [
  "reference",
  "oci",
  "registry",
  "store",
  "copy",
  "scan",
  "rewrite",
  "verify",
  "migrate",
  "ci",
  "serve",
];

const allowed: Record<string, readonly string[]> = {
  files: [],
  reference: [],
  oci: [],
  registry: ["reference", "oci"],
  store: ["reference", "oci", "registry"],
  copy: ["reference", "oci", "registry", "store"],
  scan: ["reference"],
  rewrite: ["reference", "scan"],
  verify: ["reference", "oci", "registry", "store", "copy", "scan"],
  migrate: ["reference", "oci", "registry", "store", "copy", "scan", "rewrite", "verify"],
  ci: ["reference", "oci", "registry", "store", "copy", "scan", "migrate"],
  serve: ["reference", "oci"],
  demo: [...everyLayerBelowTheShell, "cli"],
  cli: [...everyLayerBelowTheShell, "demo"],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith(".ts") ? [full] : [];
  });
}

test("every import between layers points down (no layer reaches up or sideways)", () => {
  const src = path.join(repoRoot, "src");
  const violations: string[] = [];
  let checked = 0;
  for (const file of sourceFiles(src)) {
    const layer = path.relative(src, file).split(path.sep)[0]!;
    if (!(layer in allowed)) continue;
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(/(?:from|import\()\s*"(\.{1,2}\/[^"]+)"/g)) {
      const target = path
        .relative(src, path.resolve(path.dirname(file), match[1]!))
        .split(path.sep)
        .join("/");
      const targetLayer = target.split("/")[0]!;
      checked++;
      if (targetLayer === layer || ["errors.js", "version.js", "redact-secrets.js"].includes(target))
        continue;
      const ok = [...forEveryone, ...allowed[layer]!].some(
        (a) => targetLayer === a || target.startsWith(`${a}.`) || target.startsWith(`${a}/`),
      );
      if (!ok) violations.push(`${path.relative(repoRoot, file)} imports ${target}`);
    }
  }
  assert.ok(checked > 200, `only ${checked} imports read`);
  assert.deepEqual(violations, []);
});

/** A relative import of a source file: the file it names (as `.ts`) and whether it is erased at compile time. */
interface SourceImport {
  readonly target: string;
  readonly typeOnly: boolean;
}

/** The relative imports and re-exports of a file, static and dynamic. */
function importsOf(file: string): SourceImport[] {
  const text = readFileSync(file, "utf8");
  const found: SourceImport[] = [];
  const statement = /^(?:import|export)\s+(type\s+)?(?:[^;"]*?\sfrom\s*)?"(\.{1,2}\/[^"]+)"/gm;
  const dynamic = /\bimport\(\s*"(\.{1,2}\/[^"]+)"\s*\)/g;
  const resolve = (spec: string) => path.resolve(path.dirname(file), spec).replace(/\.js$/, ".ts");
  for (const m of text.matchAll(statement))
    found.push({ target: resolve(m[2]!), typeOnly: m[1] !== undefined });
  for (const m of text.matchAll(dynamic)) found.push({ target: resolve(m[1]!), typeOnly: false });
  return found;
}

/**
 * The import cycles among files (strongly connected components of more than one file, or a file
 * importing itself), each as its files relative to src/. Only imports that survive compilation
 * count: `import type` is erased, so it cannot make a module see another half-initialised.
 */
function findCycles(files: readonly string[], src: string): string[][] {
  const edges = new Map(
    files.map((file) => [
      file,
      importsOf(file)
        .filter((i) => !i.typeOnly)
        .map((i) => i.target),
    ]),
  );
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const next of edges.get(file) ?? []) {
      if (!edges.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(file, Math.min(low.get(file)!, index.get(next)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(path.relative(src, member).split(path.sep).join("/"));
    } while (member !== file);
    if (component.length > 1 || edges.get(file)!.includes(file)) cycles.push(component.sort());
  };
  for (const file of files) if (!index.has(file)) visit(file);
  return cycles;
}

test("no two files in src/ import each other, directly or round a longer circle", () => {
  const src = path.join(repoRoot, "src");
  const files = sourceFiles(src);
  assert.ok(files.length > 100, `only ${files.length} files read`);
  assert.deepEqual(findCycles(files, src), []);
});

test("the cycle check sees a circle when there is one", () => {
  const src = path.join(repoRoot, "test", "fixtures", "architecture");
  const files = sourceFiles(src);
  assert.deepEqual(findCycles(files, src), [["a.ts", "b.ts", "c.ts"]]);
});

test("a command file only wires flags to a library call: every one is about 60 lines or fewer", () => {
  const dir = path.join(repoRoot, "src", "cli", "commands");
  const long = sourceFiles(dir)
    .map((file) => ({
      file: path.relative(repoRoot, file),
      lines: readFileSync(file, "utf8").split("\n").length - 1,
    }))
    .filter(({ lines }) => lines > 65);
  assert.deepEqual(long, []);
});

test("only the CLI touches the process's exit code and standard streams", () => {
  const src = path.join(repoRoot, "src");
  const offenders = sourceFiles(src)
    .filter((file) => !path.relative(src, file).startsWith(`cli${path.sep}`))
    .filter((file) =>
      /process\.(exitCode|exit\(|stdout\.write|stderr\.write)/.test(readFileSync(file, "utf8")),
    )
    .map((file) => path.relative(repoRoot, file));
  assert.deepEqual(offenders, []);
});

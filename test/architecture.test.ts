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
  rewrite: ["reference", "scan", "migrate/crossdock-files"],
  verify: ["reference", "oci", "registry", "store", "copy", "scan", "migrate/lock"],
  migrate: ["reference", "oci", "registry", "store", "copy", "scan", "rewrite", "verify"],
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

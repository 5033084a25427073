import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { repoRoot } from "../helpers/paths.js";

/** Every import specifier of a TypeScript file (static, type-only, re-exports and dynamic). */
function importsOf(source: string): string[] {
  const specifiers: string[] = [];
  for (const match of source.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']/g))
    specifiers.push(match[1]!);
  for (const match of source.matchAll(/\bimport\s*\(\s*["']([^"']+)["']\s*\)/g)) specifiers.push(match[1]!);
  for (const match of source.matchAll(/(?:^|\n)\s*import\s*["']([^"']+)["']/g)) specifiers.push(match[1]!);
  return specifiers;
}

test("src/serve imports only node:, src/oci, src/reference, src/files, src/errors.ts and itself: never the client", async () => {
  const dir = path.join(repoRoot, "src", "serve");
  const files = (await readdir(dir, { recursive: true })).filter((file) => file.endsWith(".ts"));
  assert.ok(files.length > 5);
  const allowed = ["oci", "reference", "files", "serve", "errors.ts"].map((part) =>
    path.join(repoRoot, "src", part),
  );
  const offenders: string[] = [];
  let seen = 0;
  for (const file of files) {
    const source = await readFile(path.join(dir, file), "utf8");
    const specifiers = importsOf(source);
    seen += specifiers.length;
    for (const specifier of specifiers) {
      if (specifier.startsWith("node:")) continue;
      const target = path.resolve(path.dirname(path.join(dir, file)), specifier.replace(/\.js$/, ".ts"));
      if (
        !specifier.startsWith(".") ||
        !allowed.some((root) => target === root || target.startsWith(`${root}${path.sep}`))
      ) {
        offenders.push(`${file}: ${specifier}`);
      }
    }
  }
  assert.ok(seen > 20, `only ${seen} imports read: is the reader broken?`);
  assert.deepEqual(offenders, []);
});

test("the import reader sees the kinds of import a file can have", () => {
  const sample =
    'import { a } from "../registry/x.js";\nimport type {\n  B,\n} from "./b.js";\nexport { c } from "./c.js";\nconst d = await import("../registry/d.js");\n';
  assert.deepEqual(importsOf(sample).sort(), ["../registry/d.js", "../registry/x.js", "./b.js", "./c.js"]);
});

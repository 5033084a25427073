/**
 * The one table of error codes (src/error-codes.ts) against the README's "Error codes" section and
 * against src/: the README lists exactly the table, every code of the table is raised somewhere,
 * and every code written where an error is built is in the table. The constructors take the
 * `ErrorCode` type, so tsc checks the typed places; this reads the untyped ones too (a spec error
 * body, a code passed on).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { errorCodes } from "../src/error-codes.js";
import { repoRoot } from "./helpers/paths.js";

/** `HTTP_status` in the table stands for `HTTP_<status>`, built as `HTTP_${status}`. */
const pattern = "HTTP_status";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith(".ts") ? [full] : [];
  });
}

const tableFile = path.join(repoRoot, "src", "error-codes.ts");
const sources = sourceFiles(path.join(repoRoot, "src"))
  .filter((file) => file !== tableFile)
  .map((file) => ({ file: path.relative(repoRoot, file), text: readFileSync(file, "utf8") }));

test("the README's Error codes section lists exactly the table, in its order, with the same meanings", () => {
  const readme = readFileSync(path.join(repoRoot, "README.md"), "utf8");
  const start = readme.indexOf("\n## Error codes\n");
  assert.ok(start >= 0, "README.md has a section ## Error codes");
  const end = readme.indexOf("\n## ", start + 1);
  const rows = readme
    .slice(start, end < 0 ? undefined : end)
    .split("\n")
    .flatMap((line) => {
      const match = /^\| `([^`]+)` +\| (.*?) +\|$/.exec(line);
      return match ? [[match[1] === "HTTP_<status>" ? pattern : match[1]!, match[2]!]] : [];
    });
  assert.deepEqual(rows, Object.entries(errorCodes));
});

test("every code of the table is raised somewhere in src/", () => {
  const unused = Object.keys(errorCodes).filter((code) => {
    const written = code === pattern ? "`HTTP_${" : `"${code}"`;
    return !sources.some(({ text }) => text.includes(written));
  });
  assert.deepEqual(unused, []);
});

test("every code written where an error is built in src/ is in the table", () => {
  // Where a code is written: `code: "X"` (an init object, a spec error body), `super("X"`,
  // `new SomeError("X"`, a helper's code argument (`authError(req, "X"`, `context(…, "X")`).
  const places = [
    /\bcode: "([A-Z][A-Z0-9_]*)"/g,
    /\bsuper\(\s*"([A-Z][A-Z0-9_]*)"/g,
    /\bnew \w*Error\(\s*"([A-Z][A-Z0-9_]*)"/g,
    /\bauthError\(\s*req,\s*"([A-Z][A-Z0-9_]*)"/g,
    /\.context\([^()]*,\s*"([A-Z][A-Z0-9_]*)"\)/g,
  ];
  const found = new Map<string, string>();
  for (const { file, text } of sources) {
    for (const place of places) for (const match of text.matchAll(place)) found.set(match[1]!, file);
  }
  // Node's errno codes (`ETIMEDOUT`) name a socket's failure inside a cause, not a crossdock error.
  const errno = /^E[A-Z]+$/;
  const missing = [...found].filter(([code]) => !errno.test(code) && !(code in errorCodes));
  assert.deepEqual(missing, []);
  assert.ok(found.size > 30, `only ${found.size} codes found: the patterns no longer match the code`);
});

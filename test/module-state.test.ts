/**
 * No module-level mutable state in src/ (STYLE.md; issue 13 item 3): state that outlives a call is
 * an explicit object its owner holds, never a variable every caller in the process shares. Reads
 * each source file's top-level declarations (column 0): a `let` or `var`, a Map, Set, WeakMap or
 * WeakSet not typed read-only, or an empty array to be filled later, is such state. Constant
 * tables (a read-only Set of option names, an array literal of words) are not.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { repoRoot } from "./helpers/paths.js";

const topLevelVariable = /^(?:export )?(?:let|var) /;
const mutableCollection =
  /^(?:export )?const [A-Za-z_$][\w$]*(?:: (?!Readonly)[^=]+)? = new (?:Map|Set|WeakMap|WeakSet)\b/;
const emptyArray = /^(?:export )?const [A-Za-z_$][\w$]*(?:: (?!readonly|ReadonlyArray)[^=]+)? = \[\];/;

/** The offending top-level lines of one file's text, as `line: text`. */
export function moduleStateIn(text: string): string[] {
  return text
    .split("\n")
    .map((line, i) => [i + 1, line] as const)
    .filter(
      ([, line]) => topLevelVariable.test(line) || mutableCollection.test(line) || emptyArray.test(line),
    )
    .map(([n, line]) => `${n}: ${line}`);
}

test("the checker finds each kind of module-level state", () => {
  const found = moduleStateIn(
    [
      "let spare: Worker | undefined;",
      "export let count = 0;",
      "const parsed = new Map<string, number>();",
      "const seen: Set<string> = new Set();",
      "const queue: string[] = [];",
      "const names: ReadonlySet<string> = new Set(['a']);",
      "const words = ['image', 'docker'];",
      "function f() {",
      "  let local = 1;",
      "}",
    ].join("\n"),
  );
  assert.deepEqual(
    found.map((line) => Number(line.slice(0, line.indexOf(":")))),
    [1, 2, 3, 4, 5],
  );
});

test("no module-level mutable state in src/", () => {
  const root = path.join(repoRoot, "src");
  const files = readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
  assert.ok(files.length > 50, `only ${files.length} source files found`);
  const offences = files.flatMap((file) =>
    moduleStateIn(readFileSync(path.join(root, file), "utf8")).map((line) => `src/${file}:${line}`),
  );
  assert.deepEqual(offences, []);
});

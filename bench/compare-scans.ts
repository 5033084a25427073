/**
 * Compares two `crossdock scan --json` outputs of the same tree, reference by reference and field
 * by field, and prints what one has that the other lacks: a change meant for speed only must
 * print nothing. Exit 1 when they differ.
 *
 *   npx tsc -p . && node dist/bench/compare-scans.js BEFORE.json AFTER.json
 */
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";

/** The parts of a `scan --json` output compared, each a list of records. */
const parts = ["references", "images", "problems", "skipped"] as const;

/** Each record of `list` as one line of JSON with sorted keys, so equal records compare equal. */
function lines(list: unknown): string[] {
  const sorted = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(sorted)
      : typeof value === "object" && value !== null
        ? Object.fromEntries(
            Object.entries(value)
              .sort(([a], [b]) => (a < b ? -1 : 1))
              .map(([k, v]) => [k, sorted(v)]),
          )
        : value;
  return Array.isArray(list) ? list.map((item) => JSON.stringify(sorted(item))) : [JSON.stringify(list)];
}

/** What `a` holds more often than `b`, each line once per extra occurrence. */
function missingFrom(a: readonly string[], b: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const line of b) left.set(line, (left.get(line) ?? 0) + 1);
  return a.filter((line) => {
    const n = left.get(line) ?? 0;
    left.set(line, n - 1);
    return n <= 0;
  });
}

const [beforeFile, afterFile] = process.argv.slice(2);
if (beforeFile === undefined || afterFile === undefined) {
  console.error("usage: compare-scans BEFORE.json AFTER.json");
  process.exit(2);
}
const before = JSON.parse(readFileSync(beforeFile, "utf8")) as Record<string, unknown>;
const after = JSON.parse(readFileSync(afterFile, "utf8")) as Record<string, unknown>;
let differ = false;
for (const part of parts) {
  if (isDeepStrictEqual(before[part], after[part])) continue;
  const [a, b] = [lines(before[part]), lines(after[part])];
  const gone = missingFrom(a, b);
  const added = missingFrom(b, a);
  // Same records in another order still differ: the output's order is part of what it promises.
  console.log(
    `${part}: ${gone.length} only before, ${added.length} only after${gone.length + added.length === 0 ? " (order differs)" : ""}`,
  );
  for (const line of gone) console.log(`- ${line}`);
  for (const line of added) console.log(`+ ${line}`);
  differ = true;
}
console.log(differ ? "differ" : `same ${parts.join(", ")}`);
process.exitCode = differ ? 1 : 0;

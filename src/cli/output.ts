/** Where the CLI writes results (stdout); diagnostics and progress go to stderr. */
export function writeLine(line = ""): void {
  process.stdout.write(`${line}\n`);
}

/** Writes one JSON document to stdout. */
export function writeJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Writes text as it is (a generated script that ends in its own newline). */
export function writeText(text: string): void {
  process.stdout.write(text);
}

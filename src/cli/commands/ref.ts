import type { Command } from "commander";
import { InvalidReferenceError } from "../../reference/errors.js";
import { formatReference, parseReference } from "../../reference/reference.js";
import { ExitCode } from "../exit-code.js";
import { writeJson, writeLine } from "../output.js";

/** One row of `ref normalize --json`. */
type NormalizeRow =
  | { input: string; name: string; tag: string | null; digest: string | null; canonical: string }
  | { input: string; error: string };

/** `crossdock ref normalize [--json] REF...` */
export function registerRefCommands(program: Command): void {
  const ref = program.command("ref").description("work with image references");
  ref
    .command("normalize")
    .description("print the canonical form of each reference (exit 2 if any is invalid)")
    .argument("<ref...>", "image references")
    .option("--json", "print a JSON array")
    .action((refs: string[], options: { json?: boolean }) => {
      const rows = refs.map(normalizeOne);
      if (options.json) writeJson(rows);
      else
        for (const row of rows)
          writeLine("error" in row ? `${row.input}: error: ${row.error}` : row.canonical);
      if (rows.some((row) => "error" in row)) process.exitCode = ExitCode.usage;
    });
}

function normalizeOne(input: string): NormalizeRow {
  try {
    const parsed = parseReference(input);
    return {
      input,
      name: parsed.name,
      tag: parsed.tag ?? null,
      digest: parsed.digest ?? null,
      canonical: formatReference(parsed),
    };
  } catch (error) {
    if (error instanceof InvalidReferenceError) return { input, error: error.reason };
    throw error;
  }
}

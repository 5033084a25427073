import type { Command } from "commander";
import type { Category, Occurrence, ScanResult } from "../../scan/types.js";
import { collectValues } from "../collect-values.js";
import { ExitCode } from "../exit-code.js";
import { writeJson, writeLine } from "../output.js";

interface ScanFlags {
  json?: boolean;
  map: string[];
  config?: string;
}

/** `crossdock scan [--json] [--map FROM=TO ...] [--config FILE] [DIR]`: every image reference in a repository. */
export function registerScanCommand(program: Command): void {
  program
    .command("scan")
    .description("find every image reference in a repository, with its place, form and category")
    .argument("[dir]", "repository to scan", ".")
    .option("--json", 'print {"references": [...], "images": [...], "problems": [...], "skipped": [...]}')
    .option(
      "--map <FROM=TO>",
      "a mapping rule: say what each reference would become (repeatable)",
      collectValues,
      [],
    )
    .option("--config <file>", "crossdock.yaml to read mappings, include/exclude and categories from")
    .action(async (dir: string, flags: ScanFlags) => {
      // Loaded here, not at start-up: every other command starts faster without it.
      const { scanRepository } = await import("../../scan/scan-repository.js");
      const { loadProjectSettings } = await import("../project-settings.js");
      const settings = await loadProjectSettings(dir, flags);
      const result = await scanRepository(dir, { ...settings.scan, rules: settings.rules });
      if (flags.json) writeJson(result);
      else writeTable(result);
      process.exitCode = ExitCode.ok;
    });
}

const headings: Record<Category, string> = {
  own: "own (built here)",
  example: "example (only in examples, docs, tests)",
  "third-party": "third-party",
};

/** The human report: images grouped by category, then references tied to no single image, then problems. */
function writeTable(result: ScanResult): void {
  const where = (o: Occurrence): string => `${o.file}:${o.line}`;
  for (const category of ["own", "example", "third-party"] as const) {
    const images = result.images.filter((i) => i.category === category);
    if (images.length === 0) continue;
    writeLine(`${headings[category]}: ${images.length} image${images.length === 1 ? "" : "s"}`);
    for (const image of images) {
      const mapped = image.mapped !== undefined ? `  -> ${image.mapped}` : "";
      const tags = image.tags.length > 0 ? `  tags: ${image.tags.join(", ")}` : "";
      writeLine(`  ${image.name}  (${image.count})${tags}${mapped}`);
      const places = result.references
        .filter((o) => o.reference?.name === image.name && o.noEvidence !== true)
        .map(where);
      writeLine(`    at ${places.join(", ")}`);
      writeLine(`    why: ${image.evidence.join("; ")}`);
    }
  }
  const loose = result.references.filter((o) => o.reference === undefined);
  const unproven = result.references.filter((o) => o.noEvidence === true);
  if (unproven.length > 0) {
    writeLine(
      `not rewritten: no evidence (bare names the mapping would match, an image nowhere): ${unproven.length}`,
    );
    for (const o of unproven) writeLine(`  ${where(o)}  ${o.text}  (${o.context})`);
  }
  if (loose.length > 0) {
    writeLine(`prefixes and partial references: ${loose.length}`);
    for (const o of loose) {
      const mapped = o.mapped !== undefined ? `  -> ${o.mapped}` : "";
      writeLine(`  ${where(o)}  ${o.kind}  ${o.text.replace(/\s*\n\s*/g, " ")}${mapped}`);
    }
  }
  writeLine(`${result.references.length} references, ${result.images.length} images`);
  if (result.skipped.length > 0) {
    writeLine(
      `not read (skipped by default): ${result.skipped.length} director${result.skipped.length === 1 ? "y" : "ies"}`,
    );
    for (const s of result.skipped) writeLine(`  ${s.path}/  ${s.reason}`);
  }
  if (result.problems.length > 0) {
    writeLine(`problems: ${result.problems.length}`);
    for (const p of result.problems)
      writeLine(`  ${p.file}${p.line !== undefined ? `:${p.line}` : ""}  ${p.message}`);
  }
}

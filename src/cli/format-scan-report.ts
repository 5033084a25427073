import { usages } from "../scan/categorize.js";
import type { Occurrence, Owner, ScanResult, Usage } from "../scan/types.js";

const headings: Record<Owner, string> = {
  own: "own (built or published here)",
  "third-party": "third-party",
};

const usageHeadings: Record<Usage, string> = {
  core: "core",
  example: "only in examples",
  test: "only in tests",
  docs: "only in docs",
};

/**
 * `crossdock scan`'s report for people: images grouped by owner and usage, then references tied
 * to no single image, log-ins to registries, then problems. A place is marked with its role unless
 * it is a pull (`Dockerfile:1 (base)`, `release.yaml:20 (push)`).
 */
export function formatScanReport(result: ScanResult): string[] {
  const lines: string[] = [];
  const where = (o: Occurrence): string => `${o.file}:${o.line}${o.role === "pull" ? "" : ` (${o.role})`}`;
  for (const group of (["own", "third-party"] as const).flatMap((o) => usages.map((u) => [o, u] as const))) {
    const images = result.images.filter((i) => i.owner === group[0] && i.usage === group[1]);
    if (images.length === 0) continue;
    const heading = `${headings[group[0]]}, ${usageHeadings[group[1]]}`;
    lines.push(`${heading}: ${images.length} image${images.length === 1 ? "" : "s"}`);
    for (const image of images) {
      const mapped = image.mapped !== undefined ? `  -> ${image.mapped}` : "";
      const tags = image.tags.length > 0 ? `  tags: ${image.tags.join(", ")}` : "";
      lines.push(`  ${image.name}  (${image.count})${tags}${mapped}`);
      const places = result.references
        .filter((o) => o.reference?.name === image.name && o.noEvidence !== true)
        .map(where);
      lines.push(`    at ${places.join(", ")}`);
      lines.push(`    why: ${image.evidence.join("; ")}`);
    }
  }
  const loose = result.references.filter((o) => o.reference === undefined);
  const unproven = result.references.filter((o) => o.noEvidence === true);
  if (unproven.length > 0) {
    lines.push(
      `not rewritten: no evidence (bare names the mapping would match, an image nowhere): ${unproven.length}`,
    );
    for (const o of unproven) lines.push(`  ${where(o)}  ${o.text}  (${o.context})`);
  }
  if (loose.length > 0) {
    lines.push(`prefixes and partial references: ${loose.length}`);
    for (const o of loose) {
      const mapped = o.mapped !== undefined ? `  -> ${o.mapped}` : "";
      lines.push(`  ${where(o)}  ${o.kind}  ${o.text.replace(/\s*\n\s*/g, " ")}${mapped}`);
    }
  }
  if (result.logins.length > 0) {
    lines.push(`registry log-ins: ${result.logins.length}`);
    for (const l of result.logins) lines.push(`  ${l.file}:${l.line}  ${l.registry}  (${l.context})`);
  }
  lines.push(`${result.references.length} references, ${result.images.length} images`);
  if (result.skipped.length > 0) {
    lines.push(
      `not read (skipped by default): ${result.skipped.length} director${result.skipped.length === 1 ? "y" : "ies"}`,
    );
    for (const s of result.skipped) lines.push(`  ${s.path}/  ${s.reason}`);
  }
  if (result.problems.length > 0) {
    lines.push(`problems: ${result.problems.length}`);
    for (const p of result.problems)
      lines.push(`  ${p.file}${p.line !== undefined ? `:${p.line}` : ""}  ${p.message}`);
  }
  return lines;
}

import { type MappingRule, mapName, mapReference, parsePrefix } from "../reference/mapping.js";
import { formatReference, type Reference } from "../reference/reference.js";
import { detectExtractors, type Extractor } from "./detect.js";
import { parseCandidate } from "./engine/candidate.js";
import { PositionIndex } from "./engine/positions.js";
import { findLogins } from "./find-logins.js";
import { ownString } from "./own-string.js";
import type { ExtractContext, Finding, Login, Occurrence, Problem } from "./types.js";

/** Options of `scanText`. */
export interface ScanTextOptions {
  /** `--map` rules: mapped prefixes count in free text, and each occurrence says what it would become. */
  readonly rules?: readonly MappingRule[];
  /** The file's extractors, when the caller has picked them already (see detectExtractors). */
  readonly extractors?: readonly Extractor[];
}

/** The occurrences in one file, its log-ins to registries, and what could not be parsed. */
export interface TextScan {
  readonly references: Occurrence[];
  readonly problems: Problem[];
  readonly logins: Login[];
}

/**
 * Scans one in-memory file: picks its extractors by name and content, runs them, drops findings
 * that overlap one already found by a more specific extractor, and places each in the file (line,
 * column, byte offsets, exact text, normalized reference, mapping). The rewrite layer re-scans
 * with it after an edit. Categories are left to `scanRepository`, which sees the whole tree.
 */
export function scanText(file: string, text: string, options: ScanTextOptions = {}): TextScan {
  const problems: Problem[] = [];
  let positions: PositionIndex | undefined;
  const index = (): PositionIndex => {
    positions ??= new PositionIndex(text);
    return positions;
  };
  const report = (message: string, offset: number): void => {
    problems.push({ file, message, line: index().lineColumn(offset).line });
  };
  const context: { -readonly [K in keyof ExtractContext]: ExtractContext[K] } = { file, report };
  if (options.rules !== undefined) context.rules = options.rules;
  const accepted: Finding[] = [];
  for (const extract of options.extractors ?? detectExtractors(file, text)) {
    let found: Finding[];
    try {
      found = extract(text, context);
    } catch (error) {
      problems.push({
        file,
        message: `scan failed: ${error instanceof Error ? error.message : String(error)}`,
      });
      continue;
    }
    for (const finding of found) {
      if (finding.fields.length > 0 && !accepted.some((a) => overlaps(a, finding))) accepted.push(finding);
    }
  }
  const references = accepted
    .map((finding) => place(file, text, index(), finding, options.rules ?? []))
    .sort((a, b) => a.byteStart - b.byteStart);
  const logins = findLogins(file, text).map(({ registry, offset, context }) => ({
    registry,
    file,
    ...index().lineColumn(offset),
    context,
  }));
  return { references, problems, logins };
}

function overlaps(a: Finding, b: Finding): boolean {
  return a.fields.some((x) => b.fields.some((y) => x.start < y.end && y.start < x.end));
}

/**
 * Turns a finding into an occurrence: positions, exact text, parsed reference or prefix, mapping.
 * Its strings are copies (see `ownString`), so that a scan's results do not keep every file's text alive.
 */
function place(
  file: string,
  text: string,
  index: PositionIndex,
  finding: Finding,
  rules: readonly MappingRule[],
): Occurrence {
  const value = ownString(finding.value);
  const fields = finding.fields
    .map((f) => Object.assign({}, f, { value: f.value === finding.value ? value : ownString(f.value) }))
    .sort((a, b) => a.start - b.start);
  const first = fields[0]!;
  const last = fields.reduce((m, f) => (f.end > m.end ? f : m), first);
  const { line, column } = index.lineColumn(first.start);
  // Object.assign rather than a spread with extra properties: V8 takes a slow path for the latter
  // (about 3 µs an object, most of the cost of placing a reference); the keys come out in the same order.
  const out: { -readonly [K in keyof Occurrence]: Occurrence[K] } = Object.assign({}, finding, {
    value,
    fields,
    context: ownString(finding.context),
    file,
    line,
    column,
    byteStart: index.byteOffset(first.start),
    byteEnd: index.byteOffset(last.end),
    text: spanText(text, first.start, last.end, value),
    role: finding.role ?? "pull",
  });
  if (out.variables !== undefined) out.variables = out.variables.map(ownString);
  if (out.resolved !== undefined) out.resolved = ownString(out.resolved);
  let reference: Reference | undefined;
  if (out.kind === "complete") reference = parseCandidate(value);
  else if (out.kind === "partial" && out.resolved !== undefined) reference = parseCandidate(out.resolved);
  if (reference !== undefined) out.reference = reference;
  if (out.kind === "prefix") {
    const prefix = prefixText(value);
    if (prefix !== undefined) out.prefix = prefix;
  }
  const mapped = mapOccurrence(out, rules);
  if (mapped !== undefined) out.mapped = mapped;
  return out;
}

/** The characters of `text[start, end)`: the value itself when they are its characters (most often). */
function spanText(text: string, start: number, end: number, value: string): string {
  const span = text.slice(start, end);
  return span === value ? value : ownString(span);
}

function prefixText(value: string): string | undefined {
  try {
    return parsePrefix(value).text;
  } catch {
    return undefined;
  }
}

function mapOccurrence(occurrence: Occurrence, rules: readonly MappingRule[]): string | undefined {
  if (rules.length === 0) return undefined;
  try {
    if (occurrence.reference !== undefined) {
      const mapped = mapReference(rules, occurrence.reference);
      return mapped === undefined ? undefined : formatReference(mapped);
    }
    if (occurrence.prefix !== undefined) return mapName(rules, occurrence.prefix);
  } catch {
    return undefined;
  }
  return undefined;
}

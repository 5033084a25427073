import { type MappingRule, mapName, mapReference, parsePrefix } from "../reference/mapping.js";
import { formatReference, tryParseReference } from "../reference/reference.js";
import { splitTemplatedTag } from "../reference/templated-tag.js";
import type { Field, Occurrence } from "../scan/types.js";
import { escapeFor } from "./escape.js";
import type { Attention, Edit, JournalEntry } from "./types.js";

/** What a rewrite will do: the edits per file, what needs a person, and the journal for undoing it. */
export interface RewritePlan {
  readonly edits: ReadonlyMap<string, readonly Edit[]>;
  readonly attention: readonly Attention[];
  readonly journal: readonly JournalEntry[];
}

/** Inputs of planRewrite. */
export interface PlanInput {
  /** Every occurrence the scan found. */
  readonly occurrences: readonly Occurrence[];
  /** The text of each file that has occurrences, as the scan read it. */
  readonly texts: ReadonlyMap<string, string>;
  readonly rules: readonly MappingRule[];
  /** From an earlier rewrite (crossdock.lock): lets the reverse mapping restore the original text exactly. */
  readonly journal?: readonly JournalEntry[];
}

type Draft = Omit<Edit, "line">;

/**
 * Plans a rewrite (pure): for each reference a rule covers, the exact characters to replace with
 * the fully qualified target, escaped for where they sit. Tags and digests stay. Partial
 * references are listed for attention, never guessed at, except a push destination whose template
 * is only in its tag (`org/app:${{ github.ref_name }}`): its name is rewritten and the template kept. Split Helm fields are edited so that
 * together they name the target; a kustomize `name` is rewritten only when the references it must
 * match are rewritten too.
 */
export function planRewrite(input: PlanInput): RewritePlan {
  const attention: Attention[] = [];
  const drafts: Draft[] = [];
  const plainNames = new Set(
    input.occurrences.filter((o) => o.form !== "kustomize" && o.reference).map((o) => o.reference!.name),
  );
  const definitions = indexDefinitions(input.occurrences);
  for (const occurrence of input.occurrences) {
    const note = (reason: string): void => {
      attention.push({
        file: occurrence.file,
        line: occurrence.line,
        text: occurrence.text,
        form: occurrence.form,
        reason,
      });
    };
    const edit = (field: Field, value: string): void => {
      drafts.push({
        file: occurrence.file,
        start: field.start,
        end: field.end,
        before: input.texts.get(occurrence.file)?.slice(field.start, field.end) ?? "",
        after: escapeFor(value, field.escaping),
        form: occurrence.form,
        role: field.role,
        ...(occurrence.role === "push" ? { push: true as const } : {}),
      });
    };
    if (occurrence.noEvidence === true) {
      note(
        "not rewritten: no evidence (a bare name in free text, named as an image nowhere in the repository)",
      );
      continue;
    }
    const templated = occurrence.role === "push" ? templatedPush(occurrence, input.rules) : undefined;
    if (templated !== undefined) {
      edit(templated.field, templated.name);
      continue;
    }
    if (occurrence.kind === "partial") {
      const vars = occurrence.variables?.join(", ") ?? "a variable";
      const resolved = occurrence.resolved ? ` (resolves to ${occurrence.resolved})` : "";
      const where = definitionsOf(occurrence, definitions);
      note(
        `holds ${vars}${resolved}: not rewritten; ${where.length > 0 ? `${where.join(", ")} is where it is set` : "check where the variable is set"}`,
      );
      continue;
    }
    if (occurrence.kind === "prefix") {
      const field = occurrence.fields[0];
      const mapped = occurrence.prefix ? mapName(input.rules, occurrence.prefix) : undefined;
      if (field && mapped) edit(field, mapped + (field.value.endsWith("/") ? "/" : ""));
      continue;
    }
    const ref = occurrence.reference;
    if (!ref) continue;
    const byRole = new Map(occurrence.fields.map((f) => [f.role, f]));
    if (occurrence.form === "kustomize" || byRole.has("kustomize-name")) {
      planKustomize(byRole, input.rules, plainNames, edit, note);
      continue;
    }
    const target = mapReference(input.rules, ref);
    if (!target) continue;
    const repository = byRole.get("repository");
    if (repository) {
      const registry = byRole.get("registry");
      if (registry) {
        edit(registry, target.domain);
        edit(repository, target.path);
      } else {
        edit(repository, target.name);
      }
      continue;
    }
    const image = byRole.get("image") ?? occurrence.fields[0];
    if (image) edit(image, formatReference(target));
  }
  return finish(drafts, attention, input);
}

/**
 * A one-field push destination with a template only in its tag, under a rule: the field narrowed to
 * the name's characters, and the name it becomes.
 */
function templatedPush(
  occurrence: Occurrence,
  rules: readonly MappingRule[],
): { field: Field; name: string } | undefined {
  const field = occurrence.fields[0];
  if (occurrence.kind !== "partial" || occurrence.fields.length !== 1 || field?.escaping !== "none")
    return undefined;
  const split = splitTemplatedTag(field.value);
  const name = split === undefined ? undefined : mapName(rules, split.reference.name);
  if (split === undefined || name === undefined) return undefined;
  return { field: { ...field, end: field.start + split.text.length, value: split.text }, name };
}

/** Variable name -> where a reference or prefix is assigned to it (`REGISTRY ?= docker.io/x` in a Makefile). */
function indexDefinitions(occurrences: readonly Occurrence[]): Map<string, Occurrence[]> {
  const index = new Map<string, Occurrence[]>();
  for (const occurrence of occurrences) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)\s*[?:+]?=/.exec(occurrence.context);
    if (!match || occurrence.kind === "partial") continue;
    const list = index.get(match[1]!) ?? [];
    list.push(occurrence);
    index.set(match[1]!, list);
  }
  return index;
}

/** Where the variables of a partial reference are set, same file first. */
function definitionsOf(occurrence: Occurrence, definitions: ReadonlyMap<string, Occurrence[]>): string[] {
  const places: string[] = [];
  for (const variable of occurrence.variables ?? []) {
    const name = /[A-Za-z_][A-Za-z0-9_]*/.exec(variable.replace(/^\$[({]?/, ""))?.[0];
    const found = name ? (definitions.get(name) ?? []) : [];
    const sameFile = found.filter((d) => d.file === occurrence.file);
    for (const d of sameFile.length > 0 ? sameFile : found) places.push(`${name} at ${d.file}:${d.line}`);
  }
  return places;
}

function planKustomize(
  byRole: ReadonlyMap<string, Field>,
  rules: readonly MappingRule[],
  plainNames: ReadonlySet<string>,
  edit: (field: Field, value: string) => void,
  note: (reason: string) => void,
): void {
  const name = byRole.get("kustomize-name");
  const newName = byRole.get("kustomize-newName");
  const nameRef = name ? tryParseReference(name.value) : undefined;
  const mappedName = nameRef ? mapName(rules, nameRef.name) : undefined;
  if (name && nameRef && mappedName) {
    if (plainNames.has(nameRef.name)) edit(name, mappedName);
    else if (!newName) {
      note(
        `kustomize images name ${name.value} matches no reference in this repository (a remote base?): rewriting it would stop the override from matching; add newName: ${mappedName}`,
      );
    }
  }
  const newNameRef = newName ? tryParseReference(newName.value) : undefined;
  const mappedNewName = newNameRef ? mapName(rules, newNameRef.name) : undefined;
  if (newName && mappedNewName) edit(newName, mappedNewName);
}

/** Sorts and dedupes the drafts, numbers them by line, and applies the journal of an earlier rewrite. */
function finish(drafts: readonly Draft[], attention: Attention[], input: PlanInput): RewritePlan {
  const byFile = new Map<string, Draft[]>();
  for (const draft of drafts) {
    if (draft.before === draft.after) continue;
    const list = byFile.get(draft.file) ?? [];
    list.push(draft);
    byFile.set(draft.file, list);
  }
  const journalIndex = new Map((input.journal ?? []).map((j) => [`${j.file}\n${j.line}\n${j.ordinal}`, j]));
  const edits = new Map<string, Edit[]>();
  const journal: JournalEntry[] = [];
  for (const [file, list] of [...byFile.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const text = input.texts.get(file) ?? "";
    const lineStarts = computeLineStarts(text);
    list.sort((a, b) => a.start - b.start || a.end - b.end);
    const out: Edit[] = [];
    let ordinal = 0;
    let previousLine = 0;
    for (const draft of list) {
      const last = out.at(-1);
      if (last && last.start === draft.start && last.end === draft.end) {
        if (last.after !== draft.after) {
          attention.push({
            file,
            line: last.line,
            text: draft.before,
            form: draft.form,
            reason: `two readings disagree (${last.after} or ${draft.after}): not rewritten`,
          });
          out.pop();
        }
        continue;
      }
      if (last && draft.start < last.end) continue;
      const line = lineOf(lineStarts, draft.start);
      ordinal = line === previousLine ? ordinal + 1 : 0;
      previousLine = line;
      const undo = journalIndex.get(`${file}\n${line}\n${ordinal}`);
      const after =
        undo && undo.after === draft.before && sameTarget(undo.before, draft.after)
          ? undo.before
          : draft.after;
      out.push({ ...draft, after, line });
      journal.push({ file, line, ordinal, before: draft.before, after });
    }
    if (out.length > 0) edits.set(file, out);
  }
  return { edits, attention, journal };
}

/** Whether two texts name the same image or prefix (the journal's original form and the computed one). */
function sameTarget(a: string, b: string): boolean {
  if (a === b) return true;
  const ra = tryParseReference(a);
  const rb = tryParseReference(b);
  if (ra && rb) return formatReference(ra) === formatReference(rb);
  try {
    return parsePrefix(a).text === parsePrefix(b).text;
  } catch {
    return false;
  }
}

/** Offsets where each line starts. */
export function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/** The 1-based line of an offset. */
export function lineOf(lineStarts: readonly number[], offset: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((lineStarts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return low + 1;
}

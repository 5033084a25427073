import type { Escaping, ExtractContext, FieldRole, Finding, Form, Role } from "../types.js";
import { classifyCandidate, type Trust } from "./candidate.js";

/** Where a one-field candidate sits and how it reads: the input of `findingFor`. */
export interface Spot {
  readonly start: number;
  readonly end: number;
  /** The decoded value (defaults to the characters themselves when escaping is "none"). */
  readonly value: string;
  readonly escaping?: Escaping;
  readonly role?: FieldRole;
}

/** Optional facts about a finding that its extractor knows. */
export interface FindingOptions {
  readonly build?: boolean;
  readonly resolved?: string;
  /** What the project does with the image, when not a pull. */
  readonly role?: Role;
}

/**
 * Classifies one candidate and, when it is a reference, builds its finding. The shared last step of
 * every extractor, so the rules for what counts live in one place (candidate.ts).
 */
export function findingFor(
  form: Form,
  spot: Spot,
  trust: Trust,
  context: string,
  ctx: ExtractContext,
  options: FindingOptions = {},
): Finding | undefined {
  const classified = classifyCandidate(spot.value, trust, ctx.rules);
  if (classified === undefined) return undefined;
  const finding: { -readonly [K in keyof Finding]: Finding[K] } = {
    form,
    kind: classified.kind,
    value: spot.value,
    fields: [
      {
        role: spot.role ?? "image",
        start: spot.start,
        end: spot.end,
        value: spot.value,
        escaping: spot.escaping ?? "none",
      },
    ],
    // Free text that names no host: say so rather than the caller's "known registry".
    context: classified.noEvidence === true ? "free text" : context,
  };
  if (classified.variables !== undefined) finding.variables = classified.variables;
  if (options.build === true && classified.kind !== "prefix") finding.build = true;
  if (options.role !== undefined && options.role !== "pull") finding.role = options.role;
  if (classified.noEvidence === true) finding.noEvidence = true;
  const resolved = options.resolved ?? resolveDefaults(spot.value, classified.variables);
  if (resolved !== undefined) finding.resolved = resolved;
  return finding;
}

/** A spot whose value is its own characters (no escaping). */
export function verbatimSpot(text: string, start: number, end: number): Spot {
  return { start, end, value: text.slice(start, end) };
}

/**
 * Builds the finding of one logical reference made of several fields (split Helm values, a
 * kustomize `images:` entry): `value` is the joined reference, `spots` its pieces in the file.
 */
export function findingForFields(
  form: Form,
  value: string,
  spots: readonly Spot[],
  context: string,
  ctx: ExtractContext,
): Finding | undefined {
  const classified = classifyCandidate(value, "field", ctx.rules);
  if (classified === undefined || classified.kind === "prefix" || spots.length === 0) return undefined;
  const fields = [...spots]
    .sort((a, b) => a.start - b.start)
    .map((spot) => ({
      role: spot.role ?? "image",
      start: spot.start,
      end: spot.end,
      value: spot.value,
      escaping: spot.escaping ?? "none",
    }));
  const finding: { -readonly [K in keyof Finding]: Finding[K] } = {
    form,
    kind: classified.kind,
    value,
    fields,
    context,
  };
  if (classified.variables !== undefined) finding.variables = classified.variables;
  return finding;
}

/**
 * The value with every `${X:-default}` replaced by its default, when all its variables have one
 * (compose files, shell): what the reference is unless someone sets the variable.
 */
function resolveDefaults(value: string, variables: readonly string[] | undefined): string | undefined {
  if (variables === undefined || variables.length === 0) return undefined;
  let out = value;
  for (const variable of variables) {
    const m = /^\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^}]*)\}$/.exec(variable);
    if (m === null) return undefined;
    out = out.replace(variable, m[1]!);
  }
  return out;
}

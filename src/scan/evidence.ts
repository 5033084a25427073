import type { Occurrence } from "./types.js";

/**
 * Applies the evidence rule for short names across a repository: a bare `ORG/name`
 * found by its shape alone (`noEvidence`) is an image only when the repository names that exact
 * image elsewhere with stronger evidence (an `image:` key, FROM, a docker command, a registry
 * host). Those lose the mark and say where the evidence is; the rest keep it when a mapping would
 * have matched them (so the user sees what was left alone, and the rewrite never edits them), and
 * are dropped otherwise: a `github.repository == 'ORG/project'` or a Go module path is not an image.
 */
export function settleEvidence(references: readonly Occurrence[]): Occurrence[] {
  const witnesses = new Map<string, Occurrence>();
  for (const occurrence of references) {
    const name = occurrence.reference?.name;
    if (occurrence.noEvidence !== true && name !== undefined && !witnesses.has(name))
      witnesses.set(name, occurrence);
  }
  const out: Occurrence[] = [];
  for (const occurrence of references) {
    if (occurrence.noEvidence !== true) {
      out.push(occurrence);
      continue;
    }
    const name = occurrence.reference?.name;
    const witness = name === undefined ? undefined : witnesses.get(name);
    if (witness !== undefined) {
      const { noEvidence: _, ...proven } = occurrence;
      out.push({ ...proven, context: `${occurrence.context}; an image at ${witness.file}:${witness.line}` });
    } else if (occurrence.mapped !== undefined) {
      out.push(occurrence);
    }
  }
  return out;
}

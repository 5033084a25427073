import type { Form } from "../scan/types.js";
import type { RewritePlan } from "./plan.js";

/** Edits per form, for the summary. */
export function countEditsByForm(plan: RewritePlan): Map<Form, number> {
  const counts = new Map<Form, number>();
  for (const edits of plan.edits.values())
    for (const edit of edits) counts.set(edit.form, (counts.get(edit.form) ?? 0) + 1);
  return counts;
}

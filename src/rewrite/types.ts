import type { FieldRole, Form } from "../scan/types.js";

/** One splice: replace the characters [start, end) of a file's text (UTF-16 offsets) with `after`. */
export interface Edit {
  readonly file: string;
  readonly start: number;
  readonly end: number;
  /** The exact characters replaced, checked again before writing. */
  readonly before: string;
  readonly after: string;
  readonly form: Form;
  readonly role: FieldRole;
  /** The edit changes a push destination (where CI publishes), which is rewritten whatever the target holds. */
  readonly push?: true;
  /** 1-based line of the edit, for the journal and reports. */
  readonly line: number;
}

/** A reference the rewrite will not guess at: a variable or template, or an override it cannot keep matching. */
export interface Attention {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  readonly form: Form;
  readonly reason: string;
}

/**
 * What a rewrite replaced, so the reverse mapping can restore the original text exactly (a short
 * `kubeflowkatib/x` became a fully qualified `ghcr.io/...`, which alone cannot say how it was written).
 * Kept in crossdock.lock.
 */
export interface JournalEntry {
  readonly file: string;
  readonly line: number;
  /** Which edit on that line (0-based, in order of position). */
  readonly ordinal: number;
  readonly before: string;
  readonly after: string;
}

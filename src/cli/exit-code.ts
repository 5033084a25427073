/** crossdock's exit codes (DESIGN.md): scripts depend on them. */
export const ExitCode = {
  ok: 0,
  /** Something failed; the summary says what. */
  failure: 1,
  /** Bad usage or input; nothing was touched. */
  usage: 2,
} as const;

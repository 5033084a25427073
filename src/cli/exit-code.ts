/** crossdock's exit codes (DESIGN.md): scripts depend on them. */
export const ExitCode = {
  ok: 0,
  /** Something failed; the summary says what. */
  failure: 1,
  /** Bad usage or input; nothing was touched. */
  usage: 2,
  /** Stopped by SIGINT or SIGTERM (128 + SIGINT's 2, what shells report for a Ctrl-C). */
  interrupted: 130,
} as const;
